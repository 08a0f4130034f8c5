// Host headroom on the SSH rig, for real: a pool of one host and one spare with 34% to keep
// free. A service that fills the host makes the infrastructure provision the spare (SSH, TLS,
// dockerd) until it is AVAILABLE; the next member placed lands on it and answers HTTP from the
// spare's address; once both applications are destroyed, the idle spare drains back to the
// spares after the short releaseAfter and its dockerd stops.
// e2e-group: beside (its own rig hosts and app names; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { infraCreate } from '../../client/commands/infraCreate';
import { renderInfra } from '../../client/render/infraTable';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import type { AppView } from '../../domain/application/status';
import type { InfraView } from '../../domain/infra/statusView';
import { hostWorkflowId } from '../../workflows/host';
import { hostStatusQuery } from '../../workflows/messages';
import { dockerdsUnder, provisionRoot } from '../rig/provisionedDaemons';
import { createRig, type Rig, type RigHost } from '../rig/rig';
import { startRegistry, type RigRegistry } from '../rig/registry';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { httpGet } from '../support/dockerChecks';
import { blueprint, serviceSpec } from '../support/specs';
import { startStack, type Stack } from '../support/stack';

const WEB_PORT = 18080;

function infraYaml(name: string, [h1, h2]: RigHost[], registry: string): string {
  return [
    `name: ${name}`,
    'location:',
    '  byon:',
    '    key: $secret:rig-key',
    '    maxContainers: 3',
    '    hosts:',
    `      - { id: h1, address: ${h1!.address}, root: ${provisionRoot(h1!.dir)} }`,
    `      - { id: h2, address: ${h2!.address}, root: ${provisionRoot(h2!.dir)}, spare: true }`,
    'docker:',
    `  insecureRegistries: ["${registry}"]`,
    'monitoring: { intervalSeconds: 2, failureThreshold: 3 }',
    'drainTimeoutSeconds: 5',
    'headroom: { free: 0.34, releaseAfter: 5s, check: 2s }',
    '',
  ].join('\n');
}

const statusOf = (v: InfraView, id: string) => v.hosts.find((h) => h.id === id)?.status;
const allRunning = (v: AppView) => v.status === 'RUNNING' && v.services.every((s) => s.members.length === s.desired && s.members.every((m) => m.state === 'RUNNING'));

describe('host headroom on the rig', { skip: skipUnlessPresent('rig', 'docker', 'temporal', 'registry') }, () => {
  let rig: Rig;
  let stack: Stack;
  let registry: RigRegistry;
  let name: string;
  let image: string;
  const apps = () => ({ fill: `hr-${rig.id}-fill`, next: `hr-${rig.id}-next` });

  before(async () => {
    rig = await createRig({ hosts: 2, docker: false });
    name = `hr-${rig.id}`;
    registry = await startRegistry(rig.gateway, join(rig.hosts[0]!.dir, '..', 'registry'));
    stack = await startStack();
    const home = join(stack.home, 'clocker');
    mkdirSync(home, { recursive: true });
    // Workers inherit these: their state folder (certificates) and the SSH key, by reference.
    process.env.CLOCKER_HOME = home;
    process.env.CLOCKER_SECRET_RIG_KEY = rig.hosts[0]!.privateKey;
    await stack.startWorker();
    const file = join(stack.home, 'infra.yaml');
    writeFileSync(file, infraYaml(name, rig.hosts, registry.address));
    await infraCreate(stack.clocker, file, { wait: true, timeoutSec: 180 });
    // The image comes from the rig's registry, so a spare provisioned later can pull it.
    const client = join(home, 'infra', name, 'tls', 'client');
    const h1 = new Docker({ protocol: 'https', host: rig.hosts[0]!.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')), cert: readFileSync(join(client, 'cert.pem')), key: readFileSync(join(client, 'key.pem')) });
    await ensureBusyboxImage(h1);
    image = `${registry.address}/clocker/busybox:1`;
    await h1.getImage(BUSYBOX_IMAGE).tag({ repo: `${registry.address}/clocker/busybox`, tag: '1' });
    const pushed = await h1.getImage(image).push({ authconfig: { serveraddress: registry.address } });
    await new Promise<void>((resolve, reject) =>
      h1.modem.followProgress(pushed, (err: Error | null, events: { error?: string }[]) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(`push ${image}: ${failed}`));
        else resolve();
      }),
    );
  });

  after(async () => {
    await stack?.stop();
    await registry?.stop();
    await rig?.teardown();
  });

  test('a pool of one host and a spare starts with the host only, holding', async () => {
    const view = await stack.clocker.infrastructureStatus(name);
    assert.deepEqual(view.hosts.map((h) => [h.id, h.status]), [['h1', 'AVAILABLE']]);
    assert.deepEqual(view.spares?.map((s) => s.id), ['h2']);
    assert.equal(dockerdsUnder(rig.hosts[1]!.dir).length, 0, 'no dockerd on the spare yet');
    assert.deepEqual([view.headroom?.free, view.headroom?.releaseAfterMs, view.headroom?.checkMs], [0.34, 5_000, 2_000]);
  });

  test('filling the host brings the spare in; the next member lands there and answers HTTP', async () => {
    const { fill, next } = apps();
    await stack.clocker.deploy(blueprint(fill, [serviceSpec({ id: 'work', image, count: 3, command: ['sleep', '3600'] })], name));
    await stack.clocker.waitFor(fill, allRunning, 120_000);
    const filled = Date.now();
    const view = await stack.clocker.waitForInfrastructure(name, (v) => statusOf(v, 'h2') === 'AVAILABLE', 180_000);
    const available = Date.now();
    const bringIn = view.headroom?.decisions.find((d) => d.action.kind === 'bring-in');
    assert.ok(bringIn, JSON.stringify(view.headroom));
    assert.deepEqual(bringIn.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.equal(bringIn.reason, '0% of containers free, target 34%; bringing in h2: 50% free once they are in');
    const host = await stack.clocker.temporal.workflow.getHandle(hostWorkflowId(name, 'h2')).query(hostStatusQuery);
    console.log(
      `headroom: h2 AVAILABLE ${available - bringIn.at} ms after the bring-in decision (${host.provisionedInMs} ms provisioning in the host workflow; ` +
        `${available - filled} ms after the filling service was RUNNING, polled every 500 ms)`,
    );
    assert.equal(dockerdsUnder(rig.hosts[1]!.dir).length, 1, 'the spare runs its dockerd');
    console.log(renderInfra(view));

    await stack.clocker.deploy(
      blueprint(next, [
        serviceSpec({
          id: 'web',
          image,
          command: ['sh', '-c', 'mkdir -p /www && echo "on the spare" > /www/index.html && exec httpd -f -p 80 -h /www'],
          ports: [{ containerPort: 80, hostPort: WEB_PORT, protocol: 'tcp' }],
        }),
      ], name),
    );
    const app = await stack.clocker.waitFor(next, allRunning, 120_000);
    const member = app.services[0]!.members[0]!;
    assert.deepEqual([member.hostId, member.hostAddress], ['h2', rig.hosts[1]!.address]);
    const page = await httpGet(`http://${rig.hosts[1]!.address}:${WEB_PORT}/`);
    assert.deepEqual(page, { ok: true, body: 'on the spare\n' });
  });

  test('with both applications destroyed, the idle spare goes back to the spares after releaseAfter and its dockerd stops', async () => {
    const { fill, next } = apps();
    await stack.clocker.destroy(next, 120_000);
    await stack.clocker.destroy(fill, 120_000);
    const view = await stack.clocker.waitForInfrastructure(name, (v) => !v.hosts.some((h) => h.id === 'h2') && (v.spares ?? []).some((s) => s.id === 'h2'), 90_000);
    assert.deepEqual(view.hosts.map((h) => [h.id, h.status]), [['h1', 'AVAILABLE']]);
    const release = view.headroom?.decisions.find((d) => d.action.kind === 'release');
    assert.ok(release, JSON.stringify(view.headroom));
    assert.deepEqual(release.action, { kind: 'release', host: 'h2' });
    assert.ok(release.inputs.idle.some((i) => i.host === 'h2' && i.forMs >= 5_000), JSON.stringify(release.inputs));
    await waitUntil('h2 dockerd stopped', 60_000, async () => dockerdsUnder(rig.hosts[1]!.dir).length === 0);
    console.log(renderInfra(view));
  });
});
