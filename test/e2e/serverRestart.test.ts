// The Temporal dev server SIGKILLed in the middle of a deployment and started again on the
// same SQLite file: the worker rides it out and the deployment converges to exactly the
// blueprint (real server, real worker process, the local Docker engine).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

describe('Temporal server crash during a deployment', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const app = `srvcrash${process.pid}`;
  let stack: Stack;

  before(async () => {
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, app);
    await stack?.stop();
  });

  test('the server SIGKILLed and restarted mid-deployment: the deployment ends RUNNING with exactly the blueprint', async () => {
    // db answers at once; web takes a few seconds to listen, so the crash lands while its members start.
    const db = serviceSpec({
      id: 'db',
      image: 'clocker/busybox:1',
      command: ['sh', '-c', 'while true; do echo db | nc -l -p 5432; done'],
      ports: [{ containerPort: 5432, hostPort: 0, protocol: 'tcp' }],
    });
    const web = serviceSpec({
      id: 'web',
      image: 'clocker/busybox:1',
      count: 2,
      dependsOn: ['db'],
      command: ['sh', '-c', 'sleep 4; mkdir -p /www; echo "db at $DB" > /www/index.html; exec httpd -f -p 8080 -h /www'],
      envTemplates: { DB: { parts: [{ kind: 'attribute', service: 'db', attribute: 'port.5432' }] } },
      ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
    });
    await stack.clocker.deploy(blueprint(app, [db, web]));
    await waitUntil('a web container to exist', 60_000, async () => (await appContainers(docker, app)).some((c) => c.Names.some((n) => n.includes('.web.'))));
    await stack.crashServer();

    const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 180_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const names = (await appContainers(docker, app)).flatMap((c) => c.Names.map((n) => n.replace(/^\//, ''))).sort();
    assert.deepEqual(names, [`${app}.db.1`, `${app}.web.1`, `${app}.web.2`]);
    const dbPort = view.services.find((s) => s.id === 'db')?.members[0]?.ports[0]?.boundHostPort;
    for (const m of view.services.find((s) => s.id === 'web')?.members ?? []) {
      assert.deepEqual(await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`), { ok: true, body: `db at ${dbPort}\n` });
    }
    assert.equal(stack.workers[0]?.exitCode, null, 'the worker lived through the server crash');

    const destroyed = await stack.clocker.destroy(app, 60_000);
    assert.equal(destroyed.status, 'DESTROYED');
    assert.equal((await appContainers(docker, app)).length, 0);
  });
});
