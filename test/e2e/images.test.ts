// The locally built images, for real: clocker/debian:bookworm (debootstrap from this machine's
// Debian mirror, `docker import`) and clocker/nginx-lb:1 (nginx-light FROM it) are built once
// and then reused; the balancer round-robins over two busybox httpd backends and follows
// `reload-backends` in the running container. Traffic: loopback, this engine's containers, and
// (only when building) Debian's mirror.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { DEBIAN_IMAGE, ensureDebianBaseImage } from '../../client/images/debianImage';
import { copyImage } from '../../client/images/imageTransfer';
import { NGINX_LB_IMAGE, ensureNginxImage } from '../../client/images/nginxImage';
import { waitUntil } from '../rig/waitUntil';
import { execInContainer } from '../../activities/docker/containerExec';
import { skipUnlessPresent } from '../support/components';
import { httpGet } from '../support/dockerChecks';

const BACKEND_A = 'backend-a says hello';
const BACKEND_B = 'backend-b says hello';

describe('local images: debian base and the nginx load balancer', { skip: skipUnlessPresent('docker', 'debootstrap') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const prefix = `clocker-e2e-images-${process.pid}`;
  const containers: string[] = [];

  before(async () => {
    await ensureBusyboxImage(docker);
  });

  after(async () => {
    for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  });

  test('both images build once, then a second call is a quick no-op', async (t) => {
    let started = Date.now();
    const base = await ensureDebianBaseImage(docker);
    t.diagnostic(`${DEBIAN_IMAGE}: built=${base.built} in ${Date.now() - started} ms`);
    started = Date.now();
    const lb = await ensureNginxImage(docker);
    t.diagnostic(`${NGINX_LB_IMAGE}: built=${lb.built} in ${Date.now() - started} ms`);

    started = Date.now();
    assert.deepEqual(await ensureDebianBaseImage(docker), { image: DEBIAN_IMAGE, built: false });
    assert.deepEqual(await ensureNginxImage(docker), { image: NGINX_LB_IMAGE, built: false });
    const cachedMs = Date.now() - started;
    t.diagnostic(`cached calls: ${cachedMs} ms`);
    // `built: false` is the proof; the bound only guards against a rebuild that would take minutes.
    assert.ok(cachedMs < 30_000, `the cached calls took ${cachedMs} ms (hang guard)`);

    const info = await docker.getImage(NGINX_LB_IMAGE).inspect();
    assert.deepEqual(info.Config.Entrypoint, ['/usr/local/bin/clocker-lb-entrypoint']);
    // The same engine already has the very image: nothing to copy.
    assert.equal((await copyImage(docker, docker, BUSYBOX_IMAGE)).copied, false);
  });

  test('the balancer round-robins over BACKENDS and follows reload-backends', async () => {
    const a = await runBackend('a', BACKEND_A);
    const b = await runBackend('b', BACKEND_B);
    const { lb, port, url } = await startBalancer('lb', `${a}:8080,${b}:8080`);

    const seen = await bodies(url, 8);
    assert.deepEqual(new Set(seen), new Set([BACKEND_A, BACKEND_B]), `through the balancer: ${JSON.stringify(seen)}`);
    // Round robin: no backend answers twice in a row.
    for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `round robin: ${JSON.stringify(seen)}`);
    assert.equal((await httpGet(`http://127.0.0.1:${port}/clocker-lb/backends`)).body.trim(), `${a}:8080,${b}:8080`);

    const reload = await exec(lb, ['reload-backends', `${a}:8080`]);
    assert.equal(reload.exitCode, 0, reload.output);
    // nginx swaps workers gracefully: wait until the new upstream answers, then only it does.
    await waitUntil('only backend a', 15_000, async () => (await bodies(url, 4)).every((body) => body === BACKEND_A));
    assert.deepEqual(new Set(await bodies(url, 6)), new Set([BACKEND_A]));

    // A bad list is refused and the running upstream stays.
    const bad = await exec(lb, ['reload-backends', 'not a backend;']);
    assert.notEqual(bad.exitCode, 0, bad.output);
    assert.match(bad.output, /bad backend/);
    assert.deepEqual(new Set(await bodies(url, 4)), new Set([BACKEND_A]));
  });

  test('a client polling through twenty reloads never sees a failure: the balancer closes each connection after its answer', async () => {
    const a = await runBackend('ra', BACKEND_A);
    const b = await runBackend('rb', BACKEND_B);
    const { lb, url } = await startBalancer('rlb', `${a}:8080,${b}:8080`);
    // No keep-alive to reuse: a reload closing an old worker's idle connections cannot fail a request.
    assert.equal((await fetch(url)).headers.get('connection'), 'close');

    let polling = true;
    const failures: string[] = [];
    let answered = 0;
    const poller = (async () => {
      while (polling) {
        const res = await httpGet(url);
        if (res.ok) answered += 1;
        else failures.push(res.body);
      }
    })();
    try {
      for (let i = 0; i < 20; i++) {
        const reload = await exec(lb, ['reload-backends', i % 2 === 0 ? `${a}:8080` : `${a}:8080,${b}:8080`]);
        assert.equal(reload.exitCode, 0, reload.output);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      polling = false;
      await poller;
    }
    assert.deepEqual(failures, [], `${failures.length} of ${answered + failures.length} requests failed`);
    assert.ok(answered > 20, `requests answered during the reloads: ${answered}`);
  });

  /** The balancer over `backends`, published on loopback only (reachable from this machine alone), answering. */
  async function startBalancer(name: string, backends: string): Promise<{ lb: string; port: string; url: string }> {
    const lb = await start(
      {
        name: `${prefix}-${name}`,
        Image: NGINX_LB_IMAGE,
        Env: [`BACKENDS=${backends}`],
        ExposedPorts: { '80/tcp': {} },
        HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      },
      name,
    );
    const port = (await docker.getContainer(lb).inspect()).NetworkSettings.Ports['80/tcp']?.[0]?.HostPort;
    assert.ok(port, `${name} has a published port`);
    const url = `http://127.0.0.1:${port}/`;
    await waitUntil(`the balancer ${name}`, 30_000, async () => (await httpGet(url)).ok);
    return { lb, port, url };
  }

  async function runBackend(name: string, text: string): Promise<string> {
    const id = await start(
      {
        name: `${prefix}-${name}`,
        Image: BUSYBOX_IMAGE,
        Cmd: ['sh', '-c', 'mkdir -p /www && echo "$TEXT" > /www/index.html && exec httpd -f -p 8080 -h /www'],
        Env: [`TEXT=${text}`],
      },
      name,
    );
    const address = (await docker.getContainer(id).inspect()).NetworkSettings.Networks['bridge']?.IPAddress;
    assert.ok(address, `backend ${name} has an address on the default bridge`);
    return address;
  }

  async function start(options: Docker.ContainerCreateOptions, what: string): Promise<string> {
    const container = await docker.createContainer({ ...options, Labels: { 'io.clocker.test': 'images' } });
    containers.push(container.id);
    await container.start();
    assert.ok((await container.inspect()).State.Running, `${what} is running`);
    return container.id;
  }

  async function bodies(url: string, n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await httpGet(url);
      out.push(res.ok ? res.body.trim() : `error: ${res.body}`);
    }
    return out;
  }

  /** The product's own exec (activities/docker/containerExec.ts), with a time limit. */
  function exec(id: string, cmd: string[]): Promise<{ exitCode: number | null; output: string }> {
    return execInContainer(docker, 'local engine', id, cmd, 15_000);
  }
});
