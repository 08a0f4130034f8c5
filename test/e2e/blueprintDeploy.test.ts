// Full blueprints on the local Docker engine through the real stack: the web-cluster example
// (references, a secret, an application network, a named volume, http and tcp probes), and
// failures that must end in a clear status with nothing left behind.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { localHostAddress } from '../../client/localHostAddress';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
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
    await removeAppLeftovers(docker, 'web-cluster', 'quits');
    await stack?.stop();
  });

  test('the web-cluster example runs: references, secret, network, volume, probes; each page carries the database\'s answer; destroy leaves nothing', async () => {
    await stack.clocker.deploy(readBlueprintFile('examples/web-cluster.yaml'));
    const view = await stack.clocker.waitFor('web-cluster', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const db = view.services.find((s) => s.id === 'db')?.members[0];
    const dbPort = db?.ports[0]?.boundHostPort;
    // host.address is where containers reach the host (the engine's bridge gateway), never loopback.
    const hostAddress = await localHostAddress(docker);
    assert.equal(db?.hostAddress, hostAddress);
    assert.notEqual(hostAddress, '127.0.0.1');
    const web = view.services.find((s) => s.id === 'web');
    assert.equal(web?.members.length, 3);
    for (const m of web?.members ?? []) {
      const page = await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`);
      assert.equal(page.ok, true, page.body);
      assert.ok(page.body.includes(`-> postgres://${hostAddress}:${dbPort}/shop`), page.body);
      // Asked at request time from inside the web member: at DATABASE_URL, and by the name db.
      assert.match(page.body, /via DATABASE_URL: db answers: 42 rows in shop\n/);
      assert.match(page.body, /via the name db: db answers: 42 rows in shop\n/);
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
