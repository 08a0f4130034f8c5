// Docker hosts made by provisioning, for real: rig hosts with sshd and no dockerd become an
// infrastructure of TLS-only Docker hosts through `clocker infra create`; a killed worker
// mid-way changes nothing; a stopped dockerd makes its host FAILED and releases its members;
// resize takes a spare through provisioning; removeHost drains then forgets.
// e2e-group: beside (its own rig hosts; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { infraCreate } from '../../client/commands/infraCreate';
import type { InfraView } from '../../domain/infra/statusView';
import { workflowIds } from '../../domain/naming';
import { hostWorkflowId } from '../../workflows/host';
import { hostStatusQuery, placeContainersUpdate } from '../../workflows/messages';
import { createRig, type Rig, type RigHost } from '../rig/rig';
import { dockerdsUnder, provisionedDockerdPid, provisionRoot, stopPid } from '../rig/provisionedDaemons';
import { waitUntil } from '../rig/waitUntil';
import { ensureBusyboxImage, BUSYBOX_IMAGE } from '../../client/images/busyboxImage';
import { startRegistry, type RigRegistry } from '../rig/registry';
import { skipUnlessPresent } from '../support/components';
import { startStack, type Stack } from '../support/stack';

const DETECTION_MS = 2_000 * 3 + 15_000;

function infraYaml(name: string, hosts: RigHost[], registry: string): string {
  const lines = hosts.map((h, i) =>
    `      - { id: ${h.name}, address: ${h.address}, root: ${provisionRoot(h.dir)}, zone: z${i % 2}${h.name === 'h3' ? ', labels: { role: spot }' : ''}${i === 3 ? ', spare: true' : ''} }`,
  );
  return [`name: ${name}`, 'location:', '  byon:', '    key: $secret:rig-key', '    hosts:', ...lines, 'docker:', `  insecureRegistries: ["${registry}"]`, 'monitoring:', '  intervalSeconds: 2', '  failureThreshold: 3', 'drainTimeoutSeconds: 5', ''].join('\n');
}

const statusOf = (v: InfraView, id: string) => v.hosts.find((h) => h.id === id)?.status;

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(3000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Follows a push or pull stream; an error inside the stream (they arrive as messages) fails. */
function followOrFail(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new Error(failed));
      else resolve();
    }),
  );
}

describe('Docker hosts provisioned over SSH', { skip: skipUnlessPresent('rig', 'docker', 'temporal', 'registry') }, () => {
  let rig: Rig;
  let stack: Stack;
  let name: string;
  let home: string;
  let registry: RigRegistry;
  const tlsDir = () => join(home, 'infra', name, 'tls');
  const tlsDocker = (h: RigHost) => {
    const client = join(tlsDir(), 'client');
    return new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')), cert: readFileSync(join(client, 'cert.pem')), key: readFileSync(join(client, 'key.pem')) });
  };

  before(async () => {
    rig = await createRig({ hosts: 4, docker: false });
    name = `rig-${rig.id}`;
    registry = await startRegistry(rig.gateway, join(rig.hosts[0]!.dir, '..', 'registry'));
    stack = await startStack();
    home = join(stack.home, 'clocker');
    mkdirSync(home, { recursive: true });
    // Workers inherit these: their state folder (certificates) and the SSH key, by reference.
    process.env.CLOCKER_HOME = home;
    process.env.CLOCKER_SECRET_RIG_KEY = rig.hosts[0]!.privateKey;
    await stack.startWorker();
  });

  after(async () => {
    await stack?.stop();
    await registry?.stop();
    await rig?.teardown();
  });

  test('infra create ends with 3 AVAILABLE hosts, even when the worker is killed mid-provisioning', async () => {
    for (const h of rig.hosts) assert.equal(provisionedDockerdPid(h.dir), undefined, `no dockerd on ${h.name} yet`);
    const file = join(stack.home, 'infra.yaml');
    writeFileSync(file, infraYaml(name, rig.hosts, registry.address));
    await infraCreate(stack.clocker, file, { wait: false, timeoutSec: 0 });
    // Kill the worker once a host is past its first steps, then start another.
    await waitUntil('a host half-way through provisioning', 60_000, async () => {
      const step = await stack.clocker.temporal.workflow.getHandle(hostWorkflowId(name, 'h1')).query(hostStatusQuery).then((v) => v.step, () => undefined);
      return step === 'certificates' || step === 'daemon-config' || step === 'daemon-start' || step === 'verify';
    });
    stack.workers[0]!.kill('SIGKILL');
    await stack.startWorker();
    const view = await stack.clocker.waitForInfrastructure(name, (v) => v.hosts.every((h) => h.status === 'AVAILABLE'), 180_000);
    assert.deepEqual(view.hosts.map((h) => h.id).sort(), ['h1', 'h2', 'h3']);
    assert.deepEqual(view.spares, [{ id: 'h4', address: rig.hosts[3]!.address }]);
    for (const h of view.hosts) {
      assert.ok((h.capacity.cpus ?? 0) >= 1 && (h.capacity.memoryBytes ?? 0) > 0, JSON.stringify(h));
      assert.match(h.dockerVersion ?? '', /^\d+\./);
    }
    // One daemon per host, one certificate per host, nothing half-made left behind.
    for (const h of rig.hosts.slice(0, 3)) assert.equal(dockerdsUnder(h.dir).length, 1, `one dockerd on ${h.name}`);
    assert.deepEqual(readdirSync(join(tlsDir(), 'hosts')).sort(), ['h1', 'h2', 'h3']);
    for (const id of ['h1', 'h2', 'h3']) assert.deepEqual(readdirSync(join(tlsDir(), 'hosts', id)).sort(), ['cert.pem', 'key.pem', 'sans.txt']);
    assert.deepEqual(readdirSync(tlsDir()).sort(), ['ca', 'client', 'hosts']);
  });

  test('the engines answer only TLS on 2376 with the client certificate', async () => {
    const client = join(tlsDir(), 'client');
    for (const h of rig.hosts.slice(0, 3)) {
      assert.equal(await refused(h.address, 2375), true, `plain 2375 refused on ${h.name}`);
      const withCert = new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')), cert: readFileSync(join(client, 'cert.pem')), key: readFileSync(join(client, 'key.pem')) });
      const info = (await withCert.info()) as { Labels: string[] };
      assert.ok(info.Labels.includes(`io.clocker.host=${h.name}`), JSON.stringify(info.Labels));
      const withoutCert = new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')) });
      await assert.rejects(withoutCert.info());
    }
  });

  test('an image pushed to the private registry from one host is pulled on another', async () => {
    const [h1, h2] = [tlsDocker(rig.hosts[0]!), tlsDocker(rig.hosts[1]!)];
    await ensureBusyboxImage(h1);
    const repo = `${registry.address}/clocker/shared`;
    await h1.getImage(BUSYBOX_IMAGE).tag({ repo, tag: '1' });
    // The engine wants an X-Registry-Auth header even for a registry without auth.
    const pushed = await h1.getImage(`${repo}:1`).push({ authconfig: { serveraddress: registry.address } });
    await followOrFail(h1, pushed);
    await assert.rejects(h2.getImage(`${repo}:1`).inspect(), 'h2 does not have it before the pull');
    await followOrFail(h2, await h2.pull(`${repo}:1`));
    assert.equal((await h2.getImage(`${repo}:1`).inspect()).Id, (await h1.getImage(`${repo}:1`).inspect()).Id);
  });

  test('resize up takes the spare through provisioning (cold)', async () => {
    const started = Date.now();
    await stack.clocker.resizeInfrastructure(name, 4);
    const view = await stack.clocker.waitForInfrastructure(name, (v) => statusOf(v, 'h4') === 'AVAILABLE', 120_000);
    const took = Date.now() - started;
    const host = await stack.clocker.temporal.workflow.getHandle(hostWorkflowId(name, 'h4')).query(hostStatusQuery);
    console.log(`cold provisioning of h4: ${took} ms end to end, ${host.provisionedInMs} ms in the host workflow`);
    assert.deepEqual(view.spares, []);
    assert.equal(dockerdsUnder(rig.hosts[3]!.dir).length, 1);
  });

  test('removeHost drains the host, stops its dockerd, and forgets it', async () => {
    await stack.clocker.removeHost(name, 'h4');
    const view = await stack.clocker.waitForInfrastructure(name, (v) => !v.hosts.some((h) => h.id === 'h4'), 60_000);
    assert.deepEqual(view.spares, []);
    await waitUntil('h4 dockerd stopped', 30_000, async () => dockerdsUnder(rig.hosts[3]!.dir).length === 0);
  });

  test('a stopped dockerd makes its host FAILED within the detection time, and its members leave the books', async () => {
    const infra = stack.clocker.temporal.workflow.getHandle(workflowIds.infrastructure(name));
    const placed = await infra.executeUpdate(placeContainersUpdate, { args: [{ app: 'shop', service: 'web', members: ['1', '2'], constraints: { requiredLabels: { role: 'spot' } } }] });
    assert.equal(placed.ok, true, JSON.stringify(placed));
    const h3 = rig.hosts[2]!;
    const pid = provisionedDockerdPid(h3.dir);
    assert.ok(pid, 'h3 runs a provisioned dockerd');
    const stopped = Date.now();
    await stopPid(pid);
    const view = await stack.clocker.waitForInfrastructure(name, (v) => statusOf(v, 'h3') === 'FAILED', DETECTION_MS);
    console.log(`h3 FAILED ${Date.now() - stopped} ms after its dockerd stopped`);
    const h3View = view.hosts.find((h) => h.id === 'h3')!;
    assert.match(h3View.problem ?? '', /probes failed in a row/);
    assert.deepEqual(h3View.reservations, []);
    assert.deepEqual(view.bookings.filter((b) => b.hostId === 'h3'), []);
    assert.deepEqual([statusOf(view, 'h1'), statusOf(view, 'h2')], ['AVAILABLE', 'AVAILABLE']);
  });
});
