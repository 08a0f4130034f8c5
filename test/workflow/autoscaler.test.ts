// The autoscaler as a service duty, against a real Temporal server and the FakeEngine's
// metrics: a service under load grows to its maximum a step at a time, each after the grow
// delay; without load it shrinks to its minimum after the shrink delay; every decision is
// recorded with its inputs; a new version keeps the size it reached; operators move its
// bounds (a plain resize is refused); and continue-as-new keeps its streak and moved bounds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ClockerClient } from '../../client/clockerClient';
import { renderApp } from '../../client/render/appTable';
import type { AutoscalerPolicy } from '../../domain/blueprint/model';
import type { ServiceView } from '../../domain/application/status';
import { destroySignal, resizeServiceUpdate, serviceResizeSignal, serviceStatusQuery } from '../../workflows/messages';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'autoscaler-tier';

const policy = (over: Partial<AutoscalerPolicy> = {}): AutoscalerPolicy => ({
  metric: 'cpu',
  lowThreshold: 0.2,
  highThreshold: 0.8,
  minSize: 1,
  maxSize: 3,
  stabilizationMs: 60_000,
  growAfterMs: 1_500,
  shrinkAfterMs: 2_500,
  step: 1,
  periodMs: 400,
  ...over,
});

const running = (s: ServiceView | undefined) => s?.members.filter((m) => m.state === 'RUNNING').length ?? 0;
const changes = (s: ServiceView | undefined) => (s?.autoscaler?.decisions ?? []).filter((d) => d.action !== 'hold').map((d) => `${d.action} ${d.from}→${d.to}`);
/** The seconds a change's reason says the metric had stayed past its threshold. */
const heldFor = (reason: string) => Number(/for (\d+)s:/.exec(reason)?.[1]);

describe('the autoscaler', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
    await clocker.ensureInfrastructure(fakeHosts('scale-hosts', { count: 2, maxContainers: 4 }));
  });
  after(async () => {
    await tier?.stop();
  });

  test('under load it grows to its maximum in steps after the delay; without load it shrinks to its minimum; each decision is kept with its inputs', async () => {
    const web = serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 5 }, policies: { autoscaler: policy() } });
    engine.metrics.set('scaling.web', 0.95);
    await clocker.deploy(blueprint('scaling', [web], 'scale-hosts'));
    const svc = async () => (await clocker.status('scaling')).services[0];

    const grown = await clocker.waitFor('scaling', (v) => running(v.services[0]) === 3 && v.services[0]?.autoscaler?.decisions.at(-1)?.kind === 'at-max', 60_000);
    const g = grown.services[0]!;
    assert.deepEqual(changes(g), ['grow 1→2', 'grow 2→3'], 'one step at a time, never past the maximum');
    for (const d of g.autoscaler!.decisions.filter((x) => x.action === 'grow')) {
      assert.ok(heldFor(d.reason) >= 2, `each step waited its whole delay (1.5 s, shown rounded): ${d.reason}`);
      assert.equal(d.value, 0.95);
      assert.equal(d.measured, d.of);
    }
    assert.equal(g.desired, 3);
    assert.deepEqual({ ...g.autoscaler, decisions: undefined }, { metric: 'cpu', low: 0.2, high: 0.8, min: 1, max: 3, decisions: undefined });
    assert.match(g.autoscaler!.decisions.at(-1)!.reason, /^cpu 0\.95 above 0\.8, already at the maximum 3$/);
    const text = renderApp(grown);
    assert.match(text, /autoscaler: web on cpu 0\.2\.\.0\.8, 1\.\.3 members/);
    assert.match(text, /last change: \S+ grow 2 → 3: cpu 0\.95 above 0\.8 for \d+s: 2 → 3; 2\/2 members measured/);

    // A new version of the application (a new image) rolls the members and keeps the autoscaler's size, not the blueprint's count of 1.
    await clocker.deploy(blueprint('scaling', [{ ...web, image: 'web:2' }], 'scale-hosts'));
    const rolled = await clocker.waitFor('scaling', (v) => v.status === 'RUNNING' && v.services[0]?.rollout?.request === 1, 60_000);
    const r = rolled.services[0]!;
    assert.equal(r.desired, 3);
    assert.equal(r.rollout?.message, 'rolled onto the new version');
    assert.deepEqual(r.members.map((m) => `${m.state}:v${m.generation}`), Array(3).fill(`RUNNING:v${r.generation}`));
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('scaling.web.')).map((c) => c.image), ['web:2', 'web:2', 'web:2']);

    engine.metrics.set('scaling.web', 0.05);
    const shrunk = await clocker.waitFor('scaling', (v) => running(v.services[0]) === 1 && v.services[0]?.members.length === 1 && v.services[0]?.autoscaler?.decisions.at(-1)?.kind === 'at-min', 60_000);
    const s = shrunk.services[0]!;
    assert.deepEqual(changes(s), ['grow 1→2', 'grow 2→3', 'shrink 3→2', 'shrink 2→1']);
    for (const d of s.autoscaler!.decisions.filter((x) => x.action === 'shrink')) assert.ok(heldFor(d.reason) >= 3, `waited the shrink delay: ${d.reason}`);
    assert.ok(s.autoscaler!.decisions.length <= 10);
    assert.equal((await svc())?.status, 'RUNNING');
    assert.equal([...engine.containers.keys()].filter((k) => k.includes('/scaling.web.')).length, 1, 'the removed members are gone');

    // Operators move the bounds; a plain size is refused (Update) or recorded as refused (signal).
    await assert.rejects(clocker.resizeService('scaling', 'web', { size: 2 }), /scaling\/web: the service is autoscaled \(cpu, 1\.\.3 members\): its autoscaler sets the size; move its bounds instead/);
    await assert.rejects(clocker.resizeService('scaling', 'web', { min: 2, max: 7 }), /the autoscaler's bounds 2\.\.7 leave the cluster's bounds 1\.\.5/);
    assert.deepEqual(await clocker.resizeService('scaling', 'web', { min: 2, max: 4 }), { size: 2, from: 1, min: 2, max: 4 });
    const moved = await clocker.waitFor('scaling', (v) => running(v.services[0]) === 2 && v.services[0]?.autoscaler?.moved === true, 30_000);
    assert.deepEqual([moved.services[0]!.autoscaler!.min, moved.services[0]!.autoscaler!.max], [2, 4]);
    // Below the low threshold, it stays at the new minimum.
    await waitUntil('a hold at the new minimum', 20_000, async () => (await svc())?.autoscaler?.decisions.at(-1)?.reason === 'cpu 0.05 below 0.2, already at the minimum 2');

    const handle = env.client.workflow.getHandle('clocker/app/scaling/svc/web');
    await handle.signal(serviceResizeSignal, { size: 4 });
    await waitUntil('the signal refused', 10_000, async () => /^resize to 4 refused: the service is autoscaled \(cpu, 2\.\.4\); move its bounds with clocker resize APP SERVICE --min N --max M$/.test((await handle.query(serviceStatusQuery)).lastEvent ?? ''));
    assert.equal((await handle.query(serviceStatusQuery)).desired, 2);
    assert.equal((await clocker.destroy('scaling', 30_000)).status, 'DESTROYED');
  });

  test('a custom metric scales the same way, and a service without an autoscaler is never measured', async () => {
    const before = engine.measured;
    await clocker.deploy(blueprint('plain', [serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 3 } })], 'scale-hosts'));
    const queue = policy({ metric: 'queue', lowThreshold: 5, highThreshold: 50, minSize: 1, maxSize: 2, growAfterMs: 800, shrinkAfterMs: 800, source: { port: 8080, path: '/metrics' } });
    engine.metrics.set('queued.api', 120);
    await clocker.deploy(blueprint('queued', [serviceSpec({ id: 'api', image: 'api:1', count: 1, size: { initial: 1, min: 1, max: 3 }, policies: { autoscaler: queue } })], 'scale-hosts'));
    await clocker.waitFor('queued', (v) => running(v.services[0]) === 2, 30_000);
    engine.metrics.set('queued.api', 0);
    const back = await clocker.waitFor('queued', (v) => running(v.services[0]) === 1 && v.services[0]?.members.length === 1, 30_000);
    assert.deepEqual(changes(back.services[0]), ['grow 1→2', 'shrink 2→1']);
    assert.match(back.services[0]!.autoscaler!.decisions.find((d) => d.action === 'grow')!.reason, /^queue 120 above 50 for \d+s: 1 → 2$/);
    // Each measurement is the autoscaled service's; the plain one costs none.
    const plain = (await clocker.status('plain')).services[0]!;
    assert.equal(plain.autoscaler, undefined);
    assert.ok(engine.measured > before);
    await clocker.destroy('queued', 30_000);
    const measuredAfter = engine.measured;
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(engine.measured, measuredAfter, 'nothing measures the plain service');
    await clocker.destroy('plain', 30_000);
  });

  test('continue-as-new keeps the streak, the moved bounds and the record', async () => {
    // A streak of 2.5 s at 0.3 s periods spans several runs of two handled duties each: it grows only if the streak is carried.
    const spec = serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 5 }, policies: { autoscaler: policy({ periodMs: 300, maxSize: 4, growAfterMs: 2_500 }) } });
    engine.metrics.set('longscale.web', 0.9);
    const handle = await env.client.workflow.start('service', {
      taskQueue: TASK_QUEUE,
      workflowId: 'clocker/app/longscale/svc/web',
      args: [{ app: 'longscale', infrastructure: 'scale-hosts', spec, continueAsNewEvery: 2 }],
    });
    const view = () => handle.query(serviceStatusQuery);
    await waitUntil('grown once', 30_000, async () => running(await view()) === 2);
    assert.notEqual((await handle.describe()).runId, handle.firstExecutionRunId, 'it continued as new while the streak ran');
    assert.deepEqual(await handle.executeUpdate(resizeServiceUpdate, { args: [{ max: 2 }] }), { size: 2, from: 2, min: 1, max: 2 });
    const firstRun = (await handle.describe()).runId;
    await waitUntil('several more runs', 30_000, async () => (await handle.describe()).runId !== firstRun && ((await view()).autoscaler?.decisions.at(-1)?.times ?? 0) >= 4);
    const v = await view();
    assert.equal(v.autoscaler?.moved, true, 'the moved bounds crossed continue-as-new');
    assert.equal(v.autoscaler?.max, 2);
    assert.equal(running(v), 2, 'held at the moved maximum');
    assert.deepEqual(changes(v), ['grow 1→2']);
    assert.match(v.autoscaler!.decisions.at(-1)!.reason, /already at the maximum 2$/);
    await handle.signal(destroySignal);
    assert.equal((await handle.result()).status, 'DESTROYED');
  });
});
