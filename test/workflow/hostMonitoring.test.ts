// Host monitoring in the host and infrastructure workflows, on a real Temporal server with fake
// hosts whose liveness answers are scripted: a worker too busy to time its check ('unknown')
// never fails a host however long it lasts; an engine that refuses fails it after the threshold,
// releasing its members, with the other host AVAILABLE all along; once it answers again it is
// swept of the written-off members' containers and takes members again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { placementActivities } from '../../activities/infrastructure/placement';
import type { Liveness } from '../../activities/hosts/dockerProbe';
import { completeByonHost } from '../../domain/infraSpec/build';
import { DEFAULT_DOCKER_SETTINGS } from '../../domain/infra/machines';
import type { InfraView } from '../../domain/infra/statusView';
import { workflowIds } from '../../domain/naming';
import { hostWorkflowId } from '../../workflows/host';
import { hostStatusQuery, placeContainersUpdate } from '../../workflows/messages';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'host-monitoring-tier';
const NAME = 'monitored-pool';
const ADDRESSES: Record<string, string> = { h1: '192.0.2.1', h2: '192.0.2.2' };

type Mode = 'alive' | 'busy' | 'refusing';

/** Provisioning that answers at once; each host's liveness as its mode says. */
function fakeHostSteps(modes: Map<string, Mode>, checks: Map<string, number>) {
  const facts = (address: string) => ({ docker: { kind: 'tcp' as const, host: address, port: 2376 }, cpus: 2, memoryBytes: 2 ** 30, dockerVersion: '26.1.5' });
  const hostAt = (address: string) => Object.keys(ADDRESSES).find((id) => ADDRESSES[id] === address) ?? address;
  return {
    ensureInfraCertificates: async () => '/fake/client',
    connectHost: async () => ({ hostKeyFingerprint: 'SHA256:fake' }),
    detectOs: async () => ({ id: 'debian', versionId: '12' }),
    ensureDocker: async () => '26.1.5',
    installCertificates: async () => undefined,
    configureDaemon: async () => undefined,
    startDaemon: async () => ({ manager: 'none', action: 'started' }),
    verifyDocker: async ({ address }: { address: string }) => facts(address),
    checkHostAlive: async ({ docker }: { docker: { kind: string; host?: string } }): Promise<Liveness> => {
      const id = hostAt(docker.host ?? '');
      checks.set(id, (checks.get(id) ?? 0) + 1);
      const mode = modes.get(id) ?? 'alive';
      if (mode === 'busy') return { alive: 'unknown', reason: 'docker info: no answer within 5000 ms, but this worker was busy (its timer fired 4000 ms late)' };
      if (mode === 'refusing') return { alive: false, reason: `https://${docker.host}:2376 refuses new connections` };
      return { alive: true, containers: 0 };
    },
    measureHostUsage: async () => ({ usage: { cpuPercent: 0, memoryBytes: 0 }, containers: 0 }),
    stopDaemon: async () => undefined,
  };
}

const statusOf = (v: InfraView, id: string) => v.hosts.find((h) => h.id === id)?.status;

describe('host monitoring', { skip: skipUnlessPresent('temporal') }, () => {
  let tier: WorkflowTier;
  const engine = new FakeEngine();
  const modes = new Map<string, Mode>();
  const checks = new Map<string, number>();
  /** Every status each host was seen in, polled all along. */
  const seen = new Map<string, Set<string>>();
  let polling = true;
  let poller: Promise<void> | undefined;

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine, (client: Client) => ({ ...placementActivities(client), ...engine.activities(), ...fakeHostSteps(modes, checks) }));
    await tier.clocker.createInfrastructure({
      name: NAME,
      hosts: [],
      provision: {
        hosts: Object.entries(ADDRESSES).map(([id, address]) => completeByonHost({ id, address, maxContainers: 3 })),
        spares: [],
        provisioning: { docker: DEFAULT_DOCKER_SETTINGS, monitoring: { intervalSeconds: 1, failureThreshold: 3 }, drainTimeoutSeconds: 5 },
      },
    });
    await tier.clocker.waitForInfrastructure(NAME, (v) => v.hosts.length === 2 && v.hosts.every((h) => h.status === 'AVAILABLE'), 30_000);
    poller = (async () => {
      while (polling) {
        const view = await tier.clocker.infrastructureStatus(NAME);
        for (const h of view.hosts) seen.set(h.id, (seen.get(h.id) ?? new Set()).add(h.status));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });

  after(async () => {
    polling = false;
    await poller;
    await tier?.stop();
  });

  const infra = () => tier.clocker.temporal.workflow.getHandle(workflowIds.infrastructure(NAME));
  const hostView = (id: string) => tier.clocker.temporal.workflow.getHandle(hostWorkflowId(NAME, id)).query(hostStatusQuery);
  const checksOf = (id: string) => checks.get(id) ?? 0;
  const waitForChecks = async (id: string, n: number) => {
    const target = checksOf(id) + n;
    const deadline = Date.now() + 30_000;
    while (checksOf(id) < target) {
      if (Date.now() > deadline) throw new Error(`${id}: ${checksOf(id)} checks, wanted ${target}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('a worker too busy to time its checks never fails a host, however many checks in a row', async () => {
    const placed = await infra().executeUpdate(placeContainersUpdate, { args: [{ app: 'shop', service: 'web', members: ['1', '2', '3'], constraints: { maxPerHost: 2 } }] });
    assert.equal(placed.ok, true, JSON.stringify(placed));
    modes.set('h1', 'busy');
    await waitForChecks('h1', 5);
    const view = await hostView('h1');
    assert.equal(view.phase, 'AVAILABLE');
    assert.equal(view.consecutiveFailures, 0);
    assert.match(view.problem ?? '', /^no evidence either way: docker info: no answer within 5000 ms, but this worker was busy/);
    const infraView = await tier.clocker.infrastructureStatus(NAME);
    assert.equal(statusOf(infraView, 'h1'), 'AVAILABLE');
    assert.equal(infraView.bookings.filter((b) => b.hostId === 'h1').length > 0, true, 'its members stay booked');
  });

  test('an engine that refuses fails its host after the threshold; its members are released; the other host stays AVAILABLE', async () => {
    const bookedOnH1 = (await tier.clocker.infrastructureStatus(NAME)).bookings.filter((b) => b.hostId === 'h1').map((b) => b.member);
    assert.ok(bookedOnH1.length > 0);
    const started = Date.now();
    modes.set('h1', 'refusing');
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => statusOf(v, 'h1') === 'FAILED', 30_000);
    console.log(`h1 FAILED ${Date.now() - started} ms after its engine began refusing (1 s interval, threshold 3)`);
    const h1 = view.hosts.find((h) => h.id === 'h1')!;
    assert.equal(h1.problem, '3 probes failed in a row; last: https://192.0.2.1:2376 refuses new connections');
    assert.deepEqual(view.bookings.filter((b) => b.hostId === 'h1'), []);
    assert.equal(statusOf(view, 'h2'), 'AVAILABLE');
  });

  test('once it answers again it is swept of the written-off containers, then AVAILABLE and placeable', async () => {
    modes.set('h1', 'alive');
    await tier.clocker.waitForInfrastructure(NAME, (v) => statusOf(v, 'h1') === 'AVAILABLE', 30_000);
    assert.ok(engine.log.some((l) => l.startsWith(`sweep ${ADDRESSES.h1} `)), `h1 was swept before it came back: ${JSON.stringify(engine.log.filter((l) => l.startsWith('sweep')))}`);
    const placed = await infra().executeUpdate(placeContainersUpdate, { args: [{ app: 'shop', service: 'api', members: ['1', '2'], constraints: { maxPerHost: 1 } }] });
    assert.ok(placed.ok, JSON.stringify(placed));
    assert.deepEqual(placed.assignments.map((a) => a.host.id).sort(), ['h1', 'h2']);
    assert.deepEqual([...(seen.get('h2') ?? [])], ['AVAILABLE'], 'h2 was never anything but AVAILABLE');
    // The poller may miss the FAILED spell under load (test 2 saw it); it must never see anything else.
    assert.deepEqual([...(seen.get('h1') ?? [])].filter((s) => s !== 'AVAILABLE' && s !== 'FAILED'), [], 'h1 was only AVAILABLE or FAILED');
  });
});
