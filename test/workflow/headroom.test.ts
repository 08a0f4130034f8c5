// Host headroom in the infrastructure workflow, on a real Temporal server with fake hosts
// (every provisioning step and probe answers at once): a pool whose free share falls below
// the setting brings its spare in through the host workflow; the next member lands there;
// once the spare is idle past releaseAfter it drains back to the spares; every decision is in
// the infrastructure query with its inputs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { placementActivities } from '../../activities/infrastructure/placement';
import { completeByonHost } from '../../domain/infraSpec/build';
import { DEFAULT_DOCKER_SETTINGS } from '../../domain/infra/machines';
import type { InfraView } from '../../domain/infra/statusView';
import { workflowIds } from '../../domain/naming';
import { renderInfra } from '../../client/render/infraTable';
import { placeContainersUpdate, releaseContainersUpdate } from '../../workflows/messages';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { workflowBundle } from '../support/temporalEnv';
import { startWorkflowTier, type WorkflowTier } from '../support/workflowTier';
import { waitUntil } from '../rig/waitUntil';

const TASK_QUEUE = 'headroom-tier';
const NAME = 'headroom-pool';

/** Provisioning and probes of hosts that answer at once (no SSH, no engine). */
function fakeHostSteps(stopped: string[]) {
  const facts = (address: string) => ({ docker: { kind: 'tcp' as const, host: address, port: 2376 }, cpus: 2, memoryBytes: 2 ** 30, dockerVersion: '26.1.5' });
  return {
    ensureInfraCertificates: async () => '/fake/client',
    connectHost: async () => ({ hostKeyFingerprint: 'SHA256:fake' }),
    detectOs: async () => ({ id: 'debian', versionId: '12' }),
    ensureDocker: async () => '26.1.5',
    installCertificates: async () => undefined,
    configureDaemon: async () => undefined,
    startDaemon: async () => ({ manager: 'none', action: 'started' }),
    verifyDocker: async ({ address }: { address: string }) => facts(address),
    checkHostAlive: async () => ({ alive: true, containers: 0 }),
    measureHostUsage: async () => ({ usage: { cpuPercent: 0, memoryBytes: 0 }, containers: 0 }),
    stopDaemon: async ({ host }: { host: { id: string } }) => void stopped.push(host.id),
  };
}

const statusOf = (v: InfraView, id: string) => v.hosts.find((h) => h.id === id)?.status;

describe('host headroom', { skip: skipUnlessPresent('temporal') }, () => {
  let tier: WorkflowTier;
  const stopped: string[] = [];

  before(async () => {
    const engine = new FakeEngine();
    tier = await startWorkflowTier(TASK_QUEUE, engine, (client: Client) => ({ ...placementActivities(client), ...engine.activities(), ...fakeHostSteps(stopped) }));
    await tier.clocker.createInfrastructure({
      name: NAME,
      hosts: [],
      provision: {
        hosts: [completeByonHost({ id: 'h1', address: '192.0.2.1', maxContainers: 3 })],
        spares: [completeByonHost({ id: 'h2', address: '192.0.2.2', maxContainers: 3 })],
        provisioning: {
          docker: DEFAULT_DOCKER_SETTINGS,
          monitoring: { intervalSeconds: 5, failureThreshold: 3 },
          drainTimeoutSeconds: 5,
          headroom: { free: 0.34, releaseAfterMs: 2_000, checkMs: 1_000 },
        },
      },
      // After the third update (the release below) the run hands over: idle times and decisions go with it.
      continueAsNewAfterUpdates: 3,
    });
  });

  after(async () => {
    await tier?.stop();
  });

  const infra = () => tier.clocker.temporal.workflow.getHandle(workflowIds.infrastructure(NAME));

  test('at rest one host is enough: nothing is brought in, and status says why', async () => {
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => statusOf(v, 'h1') === 'AVAILABLE' && v.headroom?.last?.inputs.capacity === 3, 20_000);
    assert.deepEqual(view.hosts.map((h) => h.id), ['h1']);
    assert.deepEqual(view.spares, [{ id: 'h2', address: '192.0.2.2' }]);
    assert.equal(view.headroom?.last?.action.kind, 'hold');
    assert.equal(view.headroom?.last?.reason, '100% of containers free, target 34%; kept: h1 is the last available host');
    assert.deepEqual(view.headroom?.decisions.map((d) => d.action.kind), ['hold']);
  });

  test('filling the host brings the spare in; it becomes AVAILABLE and the next member lands there', async () => {
    const placed = await infra().executeUpdate(placeContainersUpdate, { args: [{ app: 'shop', service: 'web', members: ['1', '2', '3'] }] });
    assert.equal(placed.ok, true, JSON.stringify(placed));
    const started = Date.now();
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => statusOf(v, 'h2') === 'AVAILABLE', 30_000);
    console.log(`headroom: spare h2 AVAILABLE ${Date.now() - started} ms after the placement that filled h1 (fake provisioning)`);
    assert.deepEqual(view.spares, []);
    const bringIn = view.headroom?.decisions.find((d) => d.action.kind === 'bring-in');
    assert.ok(bringIn, JSON.stringify(view.headroom));
    assert.deepEqual(bringIn.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.equal(bringIn.reason, '0% of containers free, target 34%; bringing in h2: 50% free once they are in');
    assert.deepEqual(bringIn.inputs, { free: 0, target: 0.34, tightest: 'containers', used: 3, capacity: 3, coming: [], spares: 1, idle: [] });

    const next = await infra().executeUpdate(placeContainersUpdate, { args: [{ app: 'blog', service: 'web', members: ['1'] }] });
    assert.ok(next.ok, JSON.stringify(next));
    assert.equal(next.assignments[0]?.host.id, 'h2');
    const text = renderInfra(await tier.clocker.infrastructureStatus(NAME));
    assert.match(text, /^headroom: keep 34% free \(idle hosts go back to the spares after 2s; checked every 1s\)$/m);
    assert.match(text, /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d bring in h2: 0% of containers free, target 34%; bringing in h2: 50% free once they are in$/m);
  });

  test('no spare left: a pool past the target says it is short', async () => {
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => v.headroom?.last?.action.kind === 'short', 10_000);
    assert.equal(view.headroom?.last?.reason, '33.3% of containers free, target 34%; no spare left to bring in');
  });

  test('once the members leave, the idle spare drains back to the spares after releaseAfter; the last host stays', async () => {
    await infra().executeUpdate(releaseContainersUpdate, { args: [{ app: 'shop', service: 'web' }] });
    await infra().executeUpdate(releaseContainersUpdate, { args: [{ app: 'blog', service: 'web' }] });
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => !v.hosts.some((h) => h.id === 'h2') && (v.spares ?? []).some((s) => s.id === 'h2'), 30_000);
    assert.deepEqual(view.hosts.map((h) => [h.id, h.status]), [['h1', 'AVAILABLE']]);
    const release = view.headroom?.decisions.find((d) => d.action.kind === 'release');
    assert.ok(release, JSON.stringify(view.headroom));
    assert.deepEqual(release.action, { kind: 'release', host: 'h2' });
    assert.match(release.reason, /^100% of containers free, target 34%; h2 idle for \d+s \(release after 2s\), 100% free without it$/);
    assert.ok(release.inputs.idle.some((i) => i.host === 'h2' && i.forMs >= 2_000), JSON.stringify(release.inputs));
    // The infrastructure lists h2 as a spare once it has told h2's workflow to decommission; the
    // workflow stops dockerd right after, in its own time (a loaded machine shows the gap).
    await waitUntil("h2's dockerd stopped", 30_000, async () => stopped.includes('h2'));
    assert.deepEqual(stopped, ['h2'], 'the released host was decommissioned (its dockerd stopped)');
    // h1 stays though idle: it is the last available host.
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await tier.clocker.infrastructureStatus(NAME);
    assert.deepEqual(later.hosts.map((h) => h.id), ['h1']);
    assert.match(later.headroom?.last?.reason ?? '', /kept: h1 is the last available host/);
  });

  test('a spare released is brought in again when the pool fills once more', async () => {
    const placed = await infra().executeUpdate(placeContainersUpdate, { args: [{ app: 'shop', service: 'web', members: ['4', '5', '6'] }] });
    assert.equal(placed.ok, true, JSON.stringify(placed));
    const view = await tier.clocker.waitForInfrastructure(NAME, (v) => statusOf(v, 'h2') === 'AVAILABLE', 60_000);
    assert.deepEqual(view.headroom?.decisions.filter((d) => d.action.kind !== 'hold' && d.action.kind !== 'short').map((d) => d.action.kind), ['bring-in', 'release', 'bring-in']);
  });

  test('the decisions survived continueAsNew, and the new run\'s history replays', async () => {
    const history = await infra().fetchHistory();
    const first = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    assert.ok(first?.continuedExecutionRunId, 'the run was continued as new');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });
});
