// The three-tier example on the local engine with the real nginx balancer: the balancer's
// published port answers with pages from every web member, which name the db they reach.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { ensureDebianBaseImage } from '../../client/images/debianImage';
import { ensureNginxImage } from '../../client/images/nginxImage';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { startLocalStack, type Stack } from '../support/stack';

describe('three tiers behind a real balancer', { skip: skipUnlessPresent('temporal', 'docker', 'debootstrap') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;

  before(async () => {
    await ensureDebianBaseImage(docker);
    await ensureNginxImage(docker);
    stack = await startLocalStack(docker); // and the busybox image
  });

  after(async () => {
    await removeAppLeftovers(docker, 'three-tier');
    await stack?.stop();
  });

  test('the balancer answers on its published port with pages from all three web members', async () => {
    await stack.clocker.deploy(readBlueprintFile('examples/three-tier.yaml'));
    const view = await stack.clocker.waitFor('three-tier', (v) => v.status !== 'DEPLOYING', 180_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const dbIp = view.services.find((s) => s.id === 'db')?.members[0]?.networks?.tiers;
    const pages = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const reply = await httpGet('http://127.0.0.1:8000/');
      assert.equal(reply.ok, true, reply.body);
      assert.match(reply.body, new RegExp(`^web \\S+ -> db at .* \\(on the network: ${dbIp?.replaceAll('.', '\\.')}:5432\\)`));
      pages.add(reply.body.split(' ')[1] ?? '');
    }
    assert.equal(pages.size, 3, `pages came from ${[...pages].join(', ')}`);
    assert.equal((await stack.clocker.destroy('three-tier', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'three-tier')).length, 0);
  });
});
