// The build step on its own, against the real local engine: members landing on one host at
// once share one build, a present image is not built again, a name the blueprint gives follows
// the content (back to an older build on a rollback), and a context that changed since it was
// hashed is refused rather than built under the old hash.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { contextHash } from '../../activities/docker/contextFiles';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { ensureBuiltImage, type BuildTarget } from '../../activities/docker/imageBuild';
import { demuxLogs } from '../../activities/docker/logFrames';
import { ImageBuildError } from '../../activities/errors';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { BUILD_HASH_LABEL, builtImageTag } from '../../domain/blueprint/build/builtImage';
import { skipUnlessPresent } from '../support/components';

const APP = `buildact${process.pid}`;
const NAMED = `clocker-e2e/${APP}-named`;

describe('building an image on a host', { skip: skipUnlessPresent('docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const where = 'unix:///var/run/docker.sock';
  const root = mkdtempSync(join(tmpdir(), 'clocker-build-act-'));
  let builds = 0;
  // The real engine, with its build calls counted.
  const counted = Object.assign(Object.create(docker) as Docker, {
    buildImage: (...args: Parameters<Docker['buildImage']>) => {
      builds += 1;
      return docker.buildImage(...args);
    },
  });

  function target(service: string, page: string, image?: string, slowStep = ''): BuildTarget {
    const contextPath = join(root, service);
    mkdirSync(contextPath, { recursive: true });
    writeFileSync(join(contextPath, 'Dockerfile'), `FROM clocker/busybox:1\nARG GREETING\nCOPY page.txt /page.txt\nRUN echo "$GREETING" > /greeting.txt\n${slowStep}`);
    writeFileSync(join(contextPath, 'page.txt'), page);
    const build = { context: service, contextPath, args: { GREETING: 'hello' }, hash: '' };
    build.hash = contextHash(build);
    return { app: APP, service, image: image ?? builtImageTag(APP, service, build.hash), build };
  }

  const imageId = async (name: string) => (await docker.getImage(name).inspect()).Id;

  /** What a command prints in a throwaway container of the image (stdout only, no TTY). */
  async function output(image: string, cmd: string[]): Promise<string> {
    const container = await docker.createContainer({ Image: image, Cmd: cmd });
    try {
      await container.start();
      await container.wait();
      const logs = await container.logs({ stdout: true, follow: false });
      return demuxLogs(logs);
    } finally {
      await container.remove({ force: true });
    }
  }

  before(async () => {
    await ensureBusyboxImage(docker);
  });

  after(async () => {
    const mine = await docker.listImages({ filters: { reference: [`clocker-build/${APP}-*`, `${NAMED}`] } });
    for (const image of mine) await docker.getImage(image.Id).remove({ force: true });
    rmSync(root, { recursive: true, force: true });
  });

  test('two members at once share one build, both kept alive during a silent step; a present image is not built again', async () => {
    const t = target('shared', 'one\n', undefined, 'RUN sleep 3\n');
    builds = 0;
    const beats = [0, 0];
    await Promise.all([0, 1].map((i) => ensureBuiltImage(counted, where, t, () => void (beats[i]! += 1))));
    assert.equal(builds, 1);
    // The step prints nothing for 3 s: the timer (every 2 s) reports for the builder and the waiter.
    assert.ok(beats[0]! >= 1 && beats[1]! >= 1, `progress reported ${beats.join(' and ')} times`);
    const info = await docker.getImage(t.image).inspect();
    assert.equal(info.Config.Labels?.[BUILD_HASH_LABEL], t.build.hash);
    assert.equal(await output(t.image, ['cat', '/greeting.txt', '/page.txt']), 'hello\none\n', 'the build args and the context reached the build');
    await ensureBuiltImage(counted, where, t, () => undefined);
    assert.equal(builds, 1, 'the labelled image on the host is used as it is');
  });

  test('a name the blueprint gives points at the build of its content, also back to an older one', async () => {
    const v1 = target('named', 'v1\n', `${NAMED}:1`);
    await ensureBuiltImage(counted, where, v1, () => undefined);
    const v1Id = await imageId(builtImageTag(APP, 'named', v1.build.hash!));
    assert.equal(await imageId(`${NAMED}:1`), v1Id);

    const v2 = target('named', 'v2\n', `${NAMED}:1`);
    assert.notEqual(v2.build.hash, v1.build.hash);
    await ensureBuiltImage(counted, where, v2, () => undefined);
    const v2Id = await imageId(`${NAMED}:1`);
    assert.notEqual(v2Id, v1Id);

    // A rollback asks for v1 again: its content tag is still here, so no build (and the
    // context, which now holds v2, is not read).
    builds = 0;
    await ensureBuiltImage(counted, where, v1, () => undefined);
    assert.equal(builds, 0);
    assert.equal(await imageId(`${NAMED}:1`), v1Id);
  });

  test('a context that changed since it was hashed is refused, naming the path', async () => {
    const t = target('changed', 'before\n');
    writeFileSync(join(t.build.contextPath!, 'page.txt'), 'after\n');
    await assert.rejects(
      ensureBuiltImage(counted, where, t, () => undefined),
      (err: unknown) =>
        err instanceof ImageBuildError &&
        err.message.startsWith(`building image ${t.image} on ${where} failed: the context ${t.build.contextPath} changed since the blueprint was loaded`),
    );
  });

  test('a build whose context was never read (a blueprint not loaded by the client) is refused', async () => {
    const t = target('unread', 'x\n');
    await assert.rejects(
      ensureBuiltImage(counted, where, { ...t, build: { context: 'unread' } }, () => undefined),
      (err: unknown) => err instanceof ImageBuildError && /the build context was never read/.test(err.message),
    );
  });
});
