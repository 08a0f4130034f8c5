// A worker SIGKILLed in the middle of a deployment: the next worker finishes it, with exactly
// one container (real Temporal, real worker processes, the local Docker engine).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

describe('worker crash during a deployment', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const app = `crash${process.pid}`;
  let stack: Stack;

  before(async () => {
    stack = await startLocalStack(docker, { worker: false }); // the test starts (and kills) its own
  });

  after(async () => {
    await removeAppLeftovers(docker, app);
    await stack?.stop();
  });

  test('a SIGKILLed worker mid-deployment is replaced and the deployment ends with exactly one container', async () => {
    const first = await stack.startWorker();
    // The server needs a few seconds to listen: the kill lands while the health check waits.
    const web = serviceSpec({
      id: 'web',
      image: 'clocker/busybox:1',
      command: ['sh', '-c', 'sleep 5; mkdir -p /www; echo "$MESSAGE" > /www/index.html; exec httpd -f -p 8080 -h /www'],
      env: { MESSAGE: 'survived a worker crash' },
      ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
    });
    await stack.clocker.deploy(blueprint(app, [web]));
    await waitUntil('the container to exist', 60_000, async () => (await appContainers(docker, app)).length > 0);
    assert.equal((await stack.clocker.status(app)).status, 'DEPLOYING');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    await stack.startWorker();
    const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const containers = await appContainers(docker, app);
    assert.equal(containers.length, 1);
    const port = view.services[0]?.members[0]?.ports[0]?.boundHostPort;
    assert.ok(port, 'a published port was recorded');
    assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/`), { ok: true, body: 'survived a worker crash\n' });

    const destroyed = await stack.clocker.destroy(app, 60_000);
    assert.equal(destroyed.status, 'DESTROYED');
    assert.equal((await appContainers(docker, app)).length, 0);
  });
});
