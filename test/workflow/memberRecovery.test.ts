// The failure chain on a real Temporal server with the in-memory engine: placement starts a
// monitor per host; a member's death reported by the host's watcher is restarted in place;
// past its restarts it is replaced on another host; a crash-looping image sends the service
// ON_FIRE, where it stops creating containers, until a new version arrives.
import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { placementActivities } from '../../activities/infrastructure/placement';
import { ClockerClient } from '../../client/clockerClient';
import { hostMonitorWorkflowId, workflowIds } from '../../domain/naming';
import { hostMonitorStatusQuery, watchHostSignal } from '../../workflows/messages';
import { searchAttributes } from '../../workflows/searchAttributes';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'recovery-tier';

const hosts = (name: string) => fakeHosts(name, { maxContainers: 10 });

describe('member failures and the failure chain', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine, (client) => ({
      ...placementActivities(client, undefined, { monitorHosts: true }),
      ...engine.activities(),
      ...engine.watcherActivities(client),
    }));
    ({ env, clocker } = tier);
    await clocker.ensureInfrastructure(hosts('chain-hosts'));
  });

  after(async () => {
    for (const id of ['h1', 'h2']) await env?.client.workflow.getHandle(hostMonitorWorkflowId('chain-hosts', id)).terminate().catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // a host may have no monitor
    });
    await tier?.stop();
  });

  const web = async (app: string) => (await clocker.status(app)).services.find((s) => s.id === 'web')!;
  const hostOf = async (app: string, member: string) => (await web(app)).members.find((m) => m.member === member)!.hostId;

  test('a killed member is restarted in place, a removed one made anew; each host with members has one monitor', async () => {
    await clocker.deploy(blueprint('mend', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'chain-hosts'));
    assert.equal((await clocker.waitFor('mend', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const used = new Set((await web('mend')).members.map((m) => m.hostId));
    for (const h of used) {
      const monitor = env.client.workflow.getHandle(hostMonitorWorkflowId('chain-hosts', h));
      assert.equal((await monitor.describe()).status.name, 'RUNNING');
      assert.equal((await monitor.query(hostMonitorStatusQuery)).hostId, h);
    }

    const h1 = await hostOf('mend', '1');
    engine.kill(h1, { app: 'mend', service: 'web', member: '1' });
    const restarted = await clocker.waitFor('mend', (v) => v.services[0]!.members.find((m) => m.member === '1')?.restarts === 1, 30_000);
    const m1 = restarted.services[0]!.members.find((m) => m.member === '1')!;
    assert.equal(m1.state, 'RUNNING');
    assert.equal(engine.dead.size, 0, 'the container runs again');
    assert.match(restarted.services[0]!.lastEvent ?? '', /^member 1 on h\d killed \(exit 137\): restarted in place \(1 of 3 in the window\)$/);

    const h2 = await hostOf('mend', '2');
    engine.removeBehindTheBack(h2, { app: 'mend', service: 'web', member: '2' });
    await clocker.waitFor('mend', (v) => v.services[0]!.members.find((m) => m.member === '2')?.restarts === 1, 30_000);
    assert.ok(engine.containers.has(`${h2}/mend.web.2`), 'made anew on its host');
    assert.equal((await clocker.status('mend')).status, 'RUNNING');
    assert.equal((await clocker.destroy('mend', 30_000)).status, 'DESTROYED');
  });

  test('a member that keeps dying is replaced by a fresh member on the other host once its restarts run out', async () => {
    const policies = { restarter: { maxRestarts: 1, windowMs: 600_000 }, replacer: { failureThreshold: 3, avoidFailedHost: true } };
    await clocker.deploy(blueprint('swap', [serviceSpec({ id: 'web', image: 'web:1', count: 1, policies })], 'chain-hosts'));
    assert.equal((await clocker.waitFor('swap', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const first = await hostOf('swap', '1');
    engine.kill(first, { app: 'swap', service: 'web', member: '1' });
    await clocker.waitFor('swap', (v) => v.services[0]!.members[0]?.restarts === 1 && v.services[0]!.members[0]?.state === 'RUNNING', 30_000);
    engine.kill(first, { app: 'swap', service: 'web', member: '1' });
    // The new member shows RUNNING as it starts; the chain's record of it comes with the report after.
    const replaced = await clocker.waitFor('swap', (v) => v.services[0]!.members.map((m) => `${m.member}:${m.state}`).join() === '2:RUNNING' && /replaced by/.test(v.services[0]!.lastEvent ?? ''), 30_000);
    const fresh = replaced.services[0]!.members[0]!;
    assert.notEqual(fresh.hostId, first, 'the replacement keeps off the host its member failed on');
    assert.ok(!engine.containers.has(`${first}/swap.web.1`), 'the dead member is removed');
    assert.match(replaced.services[0]!.lastEvent ?? '', new RegExp(`^member 1 on ${first} killed \\(exit 137\\): replaced by member 2 on ${fresh.hostId} \\(replacement 1 of 3 in the window\\)$`));
    assert.equal((await clocker.destroy('swap', 30_000)).status, 'DESTROYED');
  });

  test('a monitor costs six history events per watch and ends once its host is idle, unless a placement nudged it', async () => {
    const id = hostMonitorWorkflowId('chain-hosts', 'h9');
    const handle = await env.client.workflow.start('hostMonitor', {
      workflowId: id,
      taskQueue: TASK_QUEUE,
      args: [{ infrastructure: 'chain-hosts', hostId: 'h9', timing: { runForMs: 1_000, idleAfterMs: 60_000 } }],
    });
    await waitUntil('three watches', 20_000, async () => (await handle.query(hostMonitorStatusQuery)).watches >= 3);
    const events = async () => (await handle.fetchHistory()).events ?? [];
    const before = (await events()).length;
    const watches = (await handle.query(hostMonitorStatusQuery)).watches;
    await waitUntil('two more watches', 20_000, async () => (await handle.query(hostMonitorStatusQuery)).watches >= watches + 2);
    const after = await events();
    const perWatch = (after.length - before) / ((await handle.query(hostMonitorStatusQuery)).watches - watches);
    console.log(`monitor history: ${perWatch} events per watch (${after.slice(before).map((e) => e.eventType).join(' ')})`);
    assert.ok(perWatch <= 6, `about six events per watch (activity scheduled, started, completed; a workflow task), got ${perWatch}: ${after.slice(before).map((e) => e.eventType).join(' ')}`);
    await handle.terminate();

    // Idle (nothing on h9): the watch returns `idle` and the monitor ends, unless nudged meanwhile.
    const idle = await env.client.workflow.start('hostMonitor', {
      workflowId: `${id}-idle`,
      taskQueue: TASK_QUEUE,
      args: [{ infrastructure: 'chain-hosts', hostId: 'h9', timing: { idleAfterMs: 1_500 } }],
    });
    await new Promise((r) => setTimeout(r, 500));
    await idle.signal(watchHostSignal); // a placement's nudge while the first watch runs: it goes on
    const view = await idle.result();
    assert.equal(view.lastOutcome, 'idle');
    assert.equal(view.watches, 2, 'the nudged watch is followed by one more, after which it ends');
  });

  test('a crash-looping image sends the service ON_FIRE: no more churn until a new version puts it out', async () => {
    engine.crashingImages.add('crash:1');
    const policies = { restarter: { maxRestarts: 2, windowMs: 600_000 }, replacer: { failureThreshold: 1, avoidFailedHost: true } };
    await clocker.deploy(blueprint('blaze', [serviceSpec({ id: 'web', image: 'crash:1', count: 1, policies })], 'chain-hosts'));
    const fire = await clocker.waitFor('blaze', (v) => v.services[0]?.status === 'ON_FIRE', 60_000);
    assert.match(fire.services[0]!.error ?? '', /^member 2 failed again \(exited with code 1\) after 2 restarts and 1 replacement within 10 min/);
    assert.equal(fire.status, 'FAILED');
    assert.match(fire.error ?? '', /web: on fire: member 2 failed again/);
    const handle = env.client.workflow.getHandle(workflowIds.service('blaze', 'web'));
    await waitUntil('the search attribute says ON_FIRE', 10_000, async () => (await handle.describe()).typedSearchAttributes.get(searchAttributes.status) === 'ON_FIRE');
    // Two members were created in all (the first and its one replacement); nothing more comes.
    const creates = () => engine.created.filter((k) => k.includes('/blaze.')).length;
    assert.equal(creates(), 2);
    const churn = engine.log.length;
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(creates(), 2);
    assert.deepEqual(engine.log.slice(churn).filter((l) => l.includes('blaze.')), []);

    // A new version (an image that does not crash) puts the fire out.
    await clocker.deploy(blueprint('blaze', [serviceSpec({ id: 'web', image: 'web:2', count: 1, policies })], 'chain-hosts'));
    const fixed = await clocker.waitFor('blaze', (v) => v.version === 2 && v.status !== 'UPDATING', 30_000);
    assert.equal(fixed.services[0]!.status, 'RUNNING', JSON.stringify(fixed.services[0]));
    assert.equal(fixed.status, 'RUNNING');
    assert.equal((await clocker.destroy('blaze', 30_000)).status, 'DESTROYED');
  });
});
