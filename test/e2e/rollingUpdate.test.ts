// A rolling update on the local engine, for real: members are replaced one at a time while
// the service keeps answering, and a broken version is rolled back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import type { ServiceView } from '../../domain/application/status';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

const APP = 'rolling-e2e';

function web(message: string, image = 'clocker/busybox:1') {
  return serviceSpec({
    id: 'web',
    image,
    count: 3,
    command: ['sh', '-c', 'mkdir -p /www && echo "$MESSAGE" > /www/index.html && exec httpd -f -p 8080 -h /www'],
    env: { MESSAGE: message },
    ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
    health: { probe: { kind: 'http', port: 8080, path: '/', expectStatus: 200 }, intervalMs: 200, timeoutMs: 1000, retries: 10, startPeriodMs: 0 },
  });
}

/** What every running member answers right now. */
async function answers(view: ServiceView): Promise<string[]> {
  const running = view.members.filter((m) => m.state === 'RUNNING');
  return Promise.all(running.map(async (m) => (await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`)).body.trim()));
}

describe('rolling update on the local engine', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;

  before(async () => {
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, APP);
    await stack?.stop();
  });

  test('members are replaced one at a time, the service answers throughout, a broken image rolls back', async () => {
    await stack.clocker.deploy(blueprint(APP, [web('v1')]));
    await stack.clocker.waitFor(APP, (v) => v.status === 'RUNNING', 120_000);

    await stack.clocker.deploy(blueprint(APP, [web('v2')]));
    const seen = new Set<string>();
    let fewestRunning = Infinity;
    let mostContainers = 0;
    for (;;) {
      const view = await stack.clocker.status(APP);
      const svc = view.services[0]!;
      const replies = await answers(svc);
      fewestRunning = Math.min(fewestRunning, replies.filter((r) => r === 'v1' || r === 'v2').length);
      mostContainers = Math.max(mostContainers, (await appContainers(docker, APP)).length);
      replies.forEach((r) => seen.add(r));
      if (view.version === 2 && view.status === 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = await stack.clocker.status(APP);
    assert.deepEqual(await answers(done.services[0]!), ['v2', 'v2', 'v2']);
    assert.ok(fewestRunning >= 2, `at least two members answered at every poll (fewest: ${fewestRunning})`);
    assert.ok(mostContainers <= 4, `never more than one extra container (most: ${mostContainers})`);
    assert.ok(seen.has('v1') && seen.has('v2'));

    await stack.clocker.deploy(blueprint(APP, [web('v3', '127.0.0.1:1/clocker/does-not-exist:1')]));
    const rolledBack = await stack.clocker.waitFor(APP, (v) => v.version === 3 && v.status !== 'UPDATING', 120_000);
    const svc = rolledBack.services[0]!;
    assert.equal(svc.rollout?.outcome, 'ROLLED_BACK');
    assert.match(svc.rollout?.message ?? '', /ImageNotFoundError: image 127\.0\.0\.1:1\/clocker\/does-not-exist:1/);
    assert.deepEqual(await answers(svc), ['v2', 'v2', 'v2']);
    assert.equal((await appContainers(docker, APP)).length, 3);

    assert.equal((await stack.clocker.destroy(APP, 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, APP)).length, 0);
  });
});
