// `build:` for real: a Compose file whose service is built from a folder beside it, deployed
// through the real stack onto the local engine. The page the members serve comes from a file
// the build copied in; changing that file and deploying again rolls the service onto a newly
// built image. A failing Dockerfile step and a context the worker cannot read fail the service
// with the reason.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import type { AppView } from '../../domain/application/status';
import { BUILD_HASH_LABEL } from '../../domain/blueprint/build/builtImage';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { startLocalStack, type Stack } from '../support/stack';

const APP = 'build-e2e';
const FAILING = 'build-fail-e2e';
const GONE = 'build-gone-e2e';

/** A folder holding a Compose file and the `app` context it builds from. */
function project(root: string, app: string, dockerfile: string, page: string): string {
  const dir = join(root, app);
  mkdirSync(join(dir, 'app', 'www', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'docker-compose.yml'), [`name: ${app}`, 'services:', '  web:', '    build: ./app', '    scale: 2', '    ports: ["8080"]', ''].join('\n'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'app', 'serve.sh'), 'exec httpd -f -p 8080 -h /www\n');
  writeFileSync(join(dir, 'app', 'www', 'index.html'), page);
  writeFileSync(join(dir, 'app', 'www', 'sub', 'nested.txt'), 'nested file\n');
  writeFileSync(join(dir, 'app', '.dockerignore'), '*.tmp\n');
  writeFileSync(join(dir, 'app', 'scratch.tmp'), 'not sent\n');
  return join(dir, 'docker-compose.yml');
}

// `COPY . /ctx` shows in the image what the build received (.dockerignore applied).
const SERVING = 'FROM clocker/busybox:1\nCOPY . /ctx\nCOPY serve.sh /serve.sh\nCOPY www /www\nCMD ["sh", "/serve.sh"]\n';

async function pages(view: AppView, path = '/'): Promise<string[]> {
  const web = view.services.find((s) => s.id === 'web');
  return Promise.all((web?.members ?? []).map(async (m) => (await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}${path}`)).body.trim()));
}

async function imageLabels(docker: Docker, image: string): Promise<Record<string, string> | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Config.Labels ?? {};
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

describe('images built from a build context', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const root = mkdtempSync(join(tmpdir(), 'clocker-build-e2e-'));
  const built: string[] = [];
  let stack: Stack;

  before(async () => {
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, APP, FAILING, GONE);
    await stack?.stop();
    for (const image of built) await docker.getImage(image).remove({ force: true }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
    rmSync(root, { recursive: true, force: true });
  });

  test('a Compose build is built on the host and served; a changed file rolls the service onto a new image; destroy keeps the image', async () => {
    const marker = `marker-one-${process.pid}-${Date.now()}`;
    const file = project(root, APP, SERVING, `${marker}\n`);
    const v1 = readBlueprintFile(file);
    const image1 = v1.services[0]!.image;
    assert.match(image1, /^clocker-build\/build-e2e-web:[0-9a-f]{12}$/);
    assert.equal(await imageLabels(docker, image1), undefined, 'a fresh marker: the image cannot exist yet');
    built.push(image1);

    await stack.clocker.deploy(v1);
    const running = await stack.clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 180_000);
    assert.equal(running.status, 'RUNNING', JSON.stringify(running));
    assert.equal((await imageLabels(docker, image1))?.[BUILD_HASH_LABEL], v1.services[0]!.build?.hash);
    await waitUntil('both members serve the built page', 30_000, async () => (await pages(running)).every((p) => p === marker));
    assert.deepEqual(await pages(running), [marker, marker]);
    assert.deepEqual(await pages(running, '/sub/nested.txt'), ['nested file', 'nested file'], 'nested folders reach the image');
    for (const c of await appContainers(docker, APP)) assert.equal(c.Image, image1);
    const files = await listFiles(docker, image1);
    assert.ok(files.includes('/ctx/serve.sh') && files.includes('/ctx/Dockerfile'), files);
    assert.ok(!files.includes('/ctx/scratch.tmp'), `an ignored file reached the image:\n${files}`);

    // An ignored file changes nothing: same hash, same image.
    writeFileSync(join(root, APP, 'app', 'scratch.tmp'), 'still not sent\n');
    assert.equal(readBlueprintFile(file).services[0]!.image, image1);

    const marker2 = `marker-two-${process.pid}-${Date.now()}`;
    writeFileSync(join(root, APP, 'app', 'www', 'index.html'), `${marker2}\n`);
    const v2 = readBlueprintFile(file);
    const image2 = v2.services[0]!.image;
    assert.notEqual(image2, image1);
    built.push(image2);
    const outcome = await stack.clocker.deploy(v2);
    assert.equal(outcome.kind, 'updated');
    const updated = await stack.clocker.waitFor(APP, (v) => v.version === 2 && v.status !== 'UPDATING', 180_000);
    assert.equal(updated.status, 'RUNNING', JSON.stringify(updated));
    assert.deepEqual(updated.rolledBack?.services ?? [], [], 'nothing was rolled back');
    await waitUntil('both new members serve the new page', 30_000, async () => (await pages(updated)).every((p) => p === marker2));
    const containers = await appContainers(docker, APP);
    assert.equal(containers.length, 2);
    for (const c of containers) assert.equal(c.Image, image2);

    assert.equal((await stack.clocker.destroy(APP, 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, APP)).length, 0);
    assert.notEqual(await imageLabels(docker, image1), undefined, 'built images stay as a cache');
    assert.notEqual(await imageLabels(docker, image2), undefined);
  });

  test('a failing Dockerfile step fails the service with the step and its output; nothing is left running', async () => {
    const file = project(root, FAILING, 'FROM clocker/busybox:1\nRUN echo "preparing the bundle" && echo "bundle is broken" >&2 && exit 7\n', 'never\n');
    const bp = readBlueprintFile(file);
    built.push(bp.services[0]!.image);
    await stack.clocker.deploy(bp);
    const view = await stack.clocker.waitFor(FAILING, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'FAILED');
    const error = view.services[0]?.error ?? '';
    assert.match(error, /ImageBuildError: building image clocker-build\/build-fail-e2e-web:[0-9a-f]{12} on unix:\/\/\/\S+ failed: .*returned a non-zero code: 7/);
    assert.match(error, /preparing the bundle/);
    assert.equal((await appContainers(docker, FAILING)).length, 0);
    assert.equal(await imageLabels(docker, bp.services[0]!.image), undefined);
    assert.equal((await stack.clocker.destroy(FAILING, 60_000)).status, 'DESTROYED');
  });

  test('a context the worker cannot read fails the service naming the path', async () => {
    const file = project(root, GONE, SERVING, 'gone\n');
    const bp = readBlueprintFile(file);
    rmSync(join(root, GONE, 'app'), { recursive: true });
    await stack.clocker.deploy(bp);
    const view = await stack.clocker.waitFor(GONE, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'FAILED');
    assert.match(view.services[0]?.error ?? '', new RegExp(`ImageBuildError: .*build context ${join(root, GONE, 'app').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a readable folder on the worker's machine`));
    assert.equal((await stack.clocker.destroy(GONE, 60_000)).status, 'DESTROYED');
  });
});

/** The paths in an image's file system (busybox `find`), by running it once. */
async function listFiles(docker: Docker, image: string): Promise<string> {
  const container = await docker.createContainer({ Image: image, Cmd: ['find', '/', '-xdev', '-maxdepth', '2'] });
  try {
    const logs: Buffer[] = [];
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    stream.on('data', (b: Buffer) => logs.push(b));
    await container.start();
    await container.wait();
    return Buffer.concat(logs).toString('utf8');
  } finally {
    await container.remove({ force: true });
  }
}
