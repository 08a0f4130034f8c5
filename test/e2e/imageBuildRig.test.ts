// A build on another machine's engine: the context goes from the worker's disk over the
// Docker API (TCP) to a rig host, which has no registry to pull from, only its base image.
// e2e-group: beside (its own rig host; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { contextHash } from '../../activities/docker/contextFiles';
import { createDockerClientFactory, describeEndpoint } from '../../activities/docker/dockerClient';
import { ensureBuiltImage } from '../../activities/docker/imageBuild';
import { demuxLogs } from '../../activities/docker/logFrames';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { BUILD_HASH_LABEL, builtImageTag } from '../../domain/blueprint/build/builtImage';
import { createRig, type Rig } from '../rig/rig';
import { skipUnlessPresent } from '../support/components';

describe('building on a rig host', { skip: skipUnlessPresent('rig', 'docker') }, () => {
  const dockerFor = createDockerClientFactory();
  const contextPath = mkdtempSync(join(tmpdir(), 'clocker-build-rig-'));
  let rig: Rig;

  before(async () => {
    rig = await createRig({ hosts: 1, docker: true });
  });

  after(async () => {
    await rig?.teardown();
    rmSync(contextPath, { recursive: true, force: true });
  });

  test('the image is built on the host the member goes to, from the context on the worker', async () => {
    const endpoint = rig.hosts[0]!.docker!;
    const docker = dockerFor(endpoint);
    await ensureBusyboxImage(docker);
    writeFileSync(join(contextPath, 'Dockerfile'), 'FROM clocker/busybox:1\nCOPY page.txt /page.txt\n');
    writeFileSync(join(contextPath, 'page.txt'), 'built on the rig\n');
    const hash = contextHash({ contextPath });
    const image = builtImageTag('rigapp', 'web', hash);
    await ensureBuiltImage(docker, describeEndpoint(endpoint), { app: 'rigapp', service: 'web', image, build: { context: '.', contextPath, hash } }, () => undefined);
    assert.equal((await docker.getImage(image).inspect()).Config.Labels?.[BUILD_HASH_LABEL], hash);
    const container = await docker.createContainer({ Image: image, Cmd: ['cat', '/page.txt'] });
    await container.start();
    await container.wait();
    assert.equal(demuxLogs(await container.logs({ stdout: true, follow: false })), 'built on the rig\n');
    await container.remove({ force: true });
  });
});
