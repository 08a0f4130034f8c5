// `clocker deploy` of an image the host does not have: the member's line says it is pulling,
// with the layers pulled so far, before it says the member is healthy. The pull is real: the
// image (busybox plus three layers of its own) is pushed to a local registry (Debian's
// docker-registry on loopback) and removed from the engine; the engine pulls it through a
// loopback proxy that holds the last two layers until the CLI has shown the pull under way,
// so what the test looks at does not depend on how fast the pull is.
// e2e-group: beside (its own stack, registry and uniquely named app and image on free ports).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { BUSYBOX_IMAGE } from '../../client/images/busyboxImage';
import { startRegistry, type RigRegistry } from '../rig/registry';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { removeAppLeftovers } from '../support/dockerChecks';
import { layerDigests, startGatedRegistry, type GatedRegistry } from '../support/gatedRegistry';
import { freePort } from '../support/ports';
import { runCli } from '../support/cli';
import { startLocalStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');

/** Follows a stream of engine messages (push, commit) to its end; an error message fails it. */
function drain(docker: Docker, stream: NodeJS.ReadableStream, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new Error(`${what}: ${failed}`));
      else resolve();
    }),
  );
}

/** busybox plus `layers` layers of random bytes: an image whose own layers no engine has. */
async function imageWithOwnLayers(docker: Docker, repo: string, layers: number): Promise<string[]> {
  const made: string[] = [];
  let from = BUSYBOX_IMAGE;
  for (let i = 1; i <= layers; i++) {
    const c = await docker.createContainer({ Image: from, Cmd: ['sh', '-c', `head -c 400000 /dev/urandom > /layer-${i}`] });
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    assert.equal(StatusCode, 0, `writing layer ${i}`);
    const tag = i === layers ? '1' : `step-${i}`;
    await c.commit({ repo, tag });
    await c.remove({ force: true });
    from = `${repo}:${tag}`;
    made.push(from);
  }
  return made;
}

describe('a deploy that pulls its image shows the pull under way', { skip: skipUnlessPresent('temporal', 'docker', 'registry') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const app = `pull-progress-${process.pid}`;
  const repo = `clocker-e2e-pull-${process.pid}/app`;
  const dir = mkdtempSync(join(tmpdir(), 'clocker-pull-'));
  let stack: Stack | undefined;
  let registry: RigRegistry | undefined;
  let proxy: GatedRegistry | undefined;
  const images: string[] = [];

  before(async () => {
    stack = await startLocalStack(docker);
    registry = await startRegistry('127.0.0.1', join(dir, 'registry'), await freePort());
    proxy = await startGatedRegistry(registry.address);
  });

  after(async () => {
    proxy?.release();
    if (stack) await runCli(stack, 'destroy', app);
    await removeAppLeftovers(docker, app);
    for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await proxy?.stop();
    await registry?.stop();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('pulling IMAGE (n/4 layers) comes before healthy, and the image is on the host after', async (t) => {
    // The image goes to the registry and leaves the engine: only busybox's layer stays here.
    const local = await imageWithOwnLayers(docker, `${registry!.address}/${repo}`, 3);
    images.push(...local);
    const pushed = `${registry!.address}/${repo}:1`;
    await drain(docker, await docker.getImage(pushed).push({ authconfig: { serveraddress: registry!.address } }), `push ${pushed}`);
    for (const image of [...local].reverse()) await docker.getImage(image).remove();
    const layers = await layerDigests(registry!.address, repo, '1');
    assert.equal(layers.length, 4, `busybox's layer and three of its own: ${layers.join(' ')}`);
    proxy!.hold(layers.slice(2));

    const image = `${proxy!.address}/${repo}:1`;
    images.push(image);
    await assert.rejects(docker.getImage(image).inspect(), (err: { statusCode?: number }) => err.statusCode === 404, 'the engine must pull it');
    const file = join(dir, 'pull.yaml');
    writeFileSync(
      file,
      [`name: ${app}`, 'location: local', 'services:', '  - id: web', `    image: ${image}`, "    command: [sh, -c, 'trap \"exit 0\" TERM; while true; do sleep 1; done']", ''].join('\n'),
    );

    const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack!.server.address, CLOCKER_TASK_QUEUE: stack!.clocker.taskQueue };
    const deploy: ChildProcess = spawn(process.execPath, [CLI, 'deploy', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    deploy.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    deploy.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => deploy.once('exit', (code) => resolve(code)));

    // Two layers are in (busybox's was here, the first own one passed the proxy), two are held.
    const pulling = new RegExp(`^\\[\\s*\\d+\\.\\ds\\]   web\\.1 on local: pulling ${image.replace(/[.]/g, '\\.')} \\(2/4 layers[^)]*\\)$`, 'm');
    await waitUntil(`the deploy to show the pull under way (so far:\n${output})`, 120_000, async () => {
      if (deploy.exitCode !== null) throw new Error(`clocker deploy exited ${deploy.exitCode}:\n${output}`);
      return pulling.test(output);
    });
    assert.deepEqual([...proxy!.asked].sort(), layers.slice(2).sort(), 'the held layers were asked for: the pull is under way');
    proxy!.release();

    assert.equal(await exited, 0, output);
    t.diagnostic(output);
    const lines = output.split('\n');
    const pullAt = lines.findIndex((l) => pulling.test(l));
    const healthyAt = lines.findIndex((l) => /^\[\s*\d+\.\ds\]   web\.1 on local: healthy$/.test(l));
    assert.ok(pullAt >= 0 && healthyAt > pullAt, `pulling before healthy:\n${output}`);
    assert.match(output, new RegExp(`"${app}" is RUNNING after`));
    await docker.getImage(image).inspect(); // pulled for real
  });
});
