// Full blueprints on the local Docker engine through the real stack: the web-cluster example
// (references, a secret, an application network, a named volume, http and tcp probes), and
// failures that must end in a clear status with nothing left behind.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppContainers } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

describe('blueprints on the local engine', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;

  before(async () => {
    process.env.CLOCKER_SECRET_DB_PASSWORD = 'e2e-secret'; // the worker inherits it
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppContainers(docker, 'web-cluster', 'quits');
    await stack?.stop();
  });

  test('the web-cluster example runs: references, secret, network, volume, probes; destroy leaves nothing', async () => {
    await stack.clocker.deploy(readBlueprintFile('examples/web-cluster.yaml'));
    const view = await stack.clocker.waitFor('web-cluster', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const dbPort = view.services.find((s) => s.id === 'db')?.members[0]?.ports[0]?.boundHostPort;
    const web = view.services.find((s) => s.id === 'web');
    assert.equal(web?.members.length, 3);
    for (const m of web?.members ?? []) {
      const page = await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`);
      assert.equal(page.ok, true, page.body);
      assert.match(page.body, new RegExp(`-> postgres://127\\.0\\.0\\.1:${dbPort}/shop`));
      assert.match(m.networks?.backend ?? '', /^10\.66\.1\.\d+$/);
      const env = (await docker.getContainer(m.containerName).inspect()).Config.Env;
      assert.ok(env.includes('DATABASE_PASSWORD=e2e-secret'));
    }
    assert.equal((await docker.listNetworks({ filters: { name: ['web-cluster.backend'] } })).length, 1);
    assert.equal((await docker.listVolumes({ filters: { name: ['web-cluster.db-data'] } })).Volumes.length, 1);

    assert.equal((await stack.clocker.destroy('web-cluster', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'web-cluster')).length, 0);
    assert.equal((await docker.listNetworks({ filters: { label: ['io.clocker.app=web-cluster'] } })).length, 0);
    assert.equal((await docker.listVolumes({ filters: { label: ['io.clocker.app=web-cluster'] } })).Volumes.length, 0);
  });

  test('a command that exits at once fails its service with the exit code and log tail, and leaves no container', async () => {
    const quits = serviceSpec({
      id: 'worker',
      image: 'clocker/busybox:1',
      count: 2,
      command: ['sh', '-c', 'echo "config file /etc/app.conf missing" >&2; exit 3'],
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    });
    await stack.clocker.deploy(blueprint('quits', [quits]));
    const view = await stack.clocker.waitFor('quits', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'FAILED');
    assert.match(view.services[0]?.error ?? '', /ContainerExitedError: container quits\.worker\.[12] exited with code 3 before it was healthy; last output:\nconfig file \/etc\/app\.conf missing/);
    assert.equal((await appContainers(docker, 'quits')).length, 0);
    assert.equal((await stack.clocker.destroy('quits', 60_000)).status, 'DESTROYED');
  });
});
