// Deployments that cannot succeed, on the local engine: an image that does not exist and a
// host port already taken are refused at admission on a first deploy (nothing created); added
// by a later version (not re-admitted), the failing service carries Docker's own words, with no
// container left behind, and a dependent of it never starts. (A command that exits at once is covered in blueprintDeploy.test.ts.)
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

const MISSING_IMAGE = '127.0.0.1:1/clocker/does-not-exist:1';
const APPS = ['no-image', 'no-image-first', 'port-taken', 'port-taken-first', 'port-taken-chain', 'leaky'];
const LEAKY_SECRET = 'tok-4e1f-very-private';

function httpd(id: string, hostPort: number) {
  return serviceSpec({
    id,
    image: 'clocker/busybox:1',
    command: ['httpd', '-f', '-p', '8080'],
    ports: [{ containerPort: 8080, hostPort, protocol: 'tcp' }],
  });
}

/** Holds a TCP port on every interface, as another program on the host would. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  return { port, server };
}

/** What Docker says when the port is taken: by another program, or by another container. */
function portTakenText(port: number): RegExp {
  return new RegExp(`0\\.0\\.0\\.0:${port}(: bind: address already in use| failed: port is already allocated)`);
}

describe('deployments that fail on the local engine', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;
  let held: { port: number; server: Server } | undefined;

  before(async () => {
    process.env.CLOCKER_SECRET_LEAKY_TOKEN = LEAKY_SECRET; // the worker inherits it
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, ...APPS);
    await new Promise((r) => (held ? held.server.close(r) : r(undefined)));
    await stack?.stop();
  });

  /** A running application to add failing services to: a new version is not re-admitted, so Docker itself meets the failure. */
  const base = serviceSpec({ id: 'base', image: 'clocker/busybox:1', command: ['sleep', '600'] });
  async function running(app: string): Promise<void> {
    await stack.clocker.deploy(blueprint(app, [base]));
    assert.equal((await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 120_000)).status, 'RUNNING');
  }
  async function addVersion(app: string, ...services: ReturnType<typeof serviceSpec>[]) {
    await stack.clocker.deploy(blueprint(app, [base, ...services]));
    return stack.clocker.waitFor(app, (v) => v.version === 2 && v.status !== 'UPDATING', 120_000);
  }

  test('an image that does not exist: a first deploy is refused at admission naming it; added later, the service fails with Docker\'s pull error, no container', async () => {
    // What the engine itself answers to that pull, to find it again in the status.
    const dockerSays = await docker.pull(MISSING_IMAGE).then(
      () => assert.fail(`${MISSING_IMAGE} was pulled`),
      (err: { json?: { message?: string }; message?: string }) => err.json?.message ?? err.message ?? '',
    );
    assert.ok(dockerSays, 'Docker explains why the pull fails');
    const web = serviceSpec({ id: 'web', image: MISSING_IMAGE, command: ['sleep', '600'] });

    await stack.clocker.deploy(blueprint('no-image-first', [web]));
    const refused = await stack.clocker.waitFor('no-image-first', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(refused.status, 'FAILED');
    assert.match(refused.error ?? '', /^refused before anything was created: services\[0\]\.image: image 127\.0\.0\.1:1\/clocker\/does-not-exist:1: not on host local and registry 127\.0\.0\.1:1 did not answer/);
    assert.deepEqual(refused.services.map((s) => s.status), ['PENDING']);
    assert.equal((await stack.clocker.destroy('no-image-first', 60_000)).status, 'DESTROYED');

    await running('no-image');
    const view = await addVersion('no-image', web);
    const json = JSON.stringify(view);
    assert.equal(view.status, 'DEGRADED', json);
    const failed = view.services.find((s) => s.id === 'web');
    assert.equal(failed?.status, 'FAILED', json);
    assert.match(failed?.error ?? '', /^ImageNotFoundError: image 127\.0\.0\.1:1\/clocker\/does-not-exist:1 is not on .+ and could not be pulled: /, json);
    assert.ok(failed?.error?.includes(dockerSays), `the service error carries Docker's text "${dockerSays}": ${json}`);
    assert.match(view.error ?? '', /^web: ImageNotFoundError: /, json);
    assert.deepEqual(failed?.members, [], json);
    assert.deepEqual((await appContainers(docker, 'no-image')).map((c) => c.Names[0]), ['/no-image.base.1']);

    assert.equal((await stack.clocker.destroy('no-image', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'no-image')).length, 0);
  });

  test('a host port already taken: a first deploy is refused naming it; added later, the service fails naming the port in Docker\'s words, no container', async () => {
    held = await holdPort();
    const { port } = held;

    await stack.clocker.deploy(blueprint('port-taken-first', [httpd('web', port)]));
    const refused = await stack.clocker.waitFor('port-taken-first', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(refused.status, 'FAILED');
    assert.match(refused.error ?? '', new RegExp(`^refused before anything was created: services\\[0\\]\\.ports\\[0\\]: host port ${port}/tcp on host local is held by a process on the host`));
    assert.equal((await stack.clocker.destroy('port-taken-first', 60_000)).status, 'DESTROYED');

    await running('port-taken');
    const view = await addVersion('port-taken', httpd('web', port));
    const json = JSON.stringify(view);
    assert.equal(view.status, 'DEGRADED', json);
    const web = view.services.find((s) => s.id === 'web');
    assert.equal(web?.status, 'FAILED', json);
    assert.match(web?.error ?? '', /^DockerRequestError: Docker at .+: start container port-taken\.web\.1 failed \(HTTP 500\): /, json);
    assert.match(web?.error ?? '', portTakenText(port), json);
    assert.match(view.error ?? '', /^web: DockerRequestError: /, json);
    assert.deepEqual(web?.members, [], json);
    assert.deepEqual((await appContainers(docker, 'port-taken')).map((c) => c.Names[0]), ['/port-taken.base.1'], 'no container of web is left behind');

    assert.equal((await stack.clocker.destroy('port-taken', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'port-taken')).length, 0);
  });

  test('a service that depends on the failing one never starts: PENDING, no container', async () => {
    held ??= await holdPort();
    const { port } = held;
    const client = serviceSpec({ id: 'client', image: 'clocker/busybox:1', command: ['sleep', '600'], dependsOn: ['web'] });

    await running('port-taken-chain');
    const view = await addVersion('port-taken-chain', httpd('web', port), client);
    const json = JSON.stringify(view);
    assert.equal(view.status, 'DEGRADED', json);
    const web = view.services.find((s) => s.id === 'web');
    assert.equal(web?.status, 'FAILED', json);
    assert.match(web?.error ?? '', portTakenText(port), json);
    const dependent = view.services.find((s) => s.id === 'client');
    assert.equal(dependent?.status, 'PENDING', json);
    assert.deepEqual(dependent?.members, [], json);
    assert.equal(dependent?.error, undefined, json);
    assert.match(view.error ?? '', /^web: DockerRequestError: [^;]*; client: not started$/, `the failing service is named, and what it kept from starting: ${json}`);
    assert.deepEqual((await appContainers(docker, 'port-taken-chain')).map((c) => c.Names[0]), ['/port-taken-chain.base.1'], 'neither service left a container');

    assert.equal((await stack.clocker.destroy('port-taken-chain', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'port-taken-chain')).length, 0);
  });

  test('a command that prints its secret and exits: the error carries its output with the secret blanked out', async () => {
    const leaky = serviceSpec({
      id: 'web',
      image: 'clocker/busybox:1',
      command: ['sh', '-c', 'echo "starting with token $TOKEN"; exit 4'],
      envTemplates: { TOKEN: { parts: [{ kind: 'secret', name: 'LEAKY_TOKEN' }] } },
    });
    await stack.clocker.deploy(blueprint('leaky', [leaky]));
    const view = await stack.clocker.waitFor('leaky', (v) => v.status !== 'DEPLOYING', 60_000);
    const json = JSON.stringify(view);
    assert.equal(view.status, 'FAILED', json);
    assert.match(view.services[0]?.error ?? '', /exited with code 4 before it was healthy; last output:\nstarting with token \*\*\*/, json);
    assert.ok(!json.includes(LEAKY_SECRET), 'the secret is nowhere in the status');
    assert.equal((await appContainers(docker, 'leaky')).length, 0);
    assert.equal((await stack.clocker.destroy('leaky', 60_000)).status, 'DESTROYED');
  });
});
