// A host's new members start in one activity (startMembers, svc-start-members-batch, issue #16)
// and leave in one (removeContainers, svc-remove-batch), on a real Temporal server with the
// in-memory engine: one batch per host, each member's outcome its own (a failure a retry may mend
// is retried as that member's own startMember or removeContainer; one no retry mends fails that
// member alone, the others of its batch are made), and what it costs in history.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ClockerClient } from '../../client/clockerClient';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import { workflowIds } from '../../domain/naming';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, replayEveryHistory, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'start-batches';

describe("a host's new members start in one activity", { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
  });

  after(() => tier?.stop());

  const events = async (workflowId: string) => (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const calls = async (workflowId: string, type: string) => (await events(workflowId)).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
  const web = (app: string, count: number) => {
    const bp = blueprint(app, [serviceSpec({ id: 'web', image: 'web:1', count, size: { initial: count, min: 1, max: 12 }, networks: [{ network: 'default', aliases: [] }] })], app);
    bp.networks = [{ ...defaultNetworkSpec(), driver: 'bridge' }]; // named: on several hosts the default would be overlay
    return bp;
  };

  test('six members on two hosts: two startMembers; a member whose create fails once is started alone and runs; removals go by host likewise', async (t) => {
    await clocker.ensureInfrastructure(fakeHosts('batch', { maxContainers: 6 }));
    engine.flakyNames.set('batch.web.4', 1);
    await clocker.deploy(web('batch', 6));
    const view = await clocker.waitFor('batch', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const members = view.services[0]!.members;
    assert.equal(members.filter((m) => m.state === 'RUNNING').length, 6, JSON.stringify(members));
    const hosts = new Set(members.map((m) => m.hostId));
    const svc = workflowIds.service('batch', 'web');
    assert.equal(await calls(svc, 'startMembers'), hosts.size, `one batch per host (${[...hosts].join(', ')})`);
    assert.equal(await calls(svc, 'startMember'), 1, 'the flaky member alone, retried');
    assert.equal(engine.flakyNames.get('batch.web.4'), 0);
    t.diagnostic(`service history: ${(await events(svc)).length} events for 6 members on ${hosts.size} hosts`);

    // A resize's new members: one more batch per host they land on.
    await clocker.resizeService('batch', 'web', { size: 9 });
    const grown = await clocker.waitFor('batch', (v) => v.services[0]!.members.filter((m) => m.state === 'RUNNING').length === 9, 30_000);
    const newHosts = new Set(grown.services[0]!.members.filter((m) => Number(m.member) > 6).map((m) => m.hostId));
    assert.equal(await calls(svc, 'startMembers'), hosts.size + newHosts.size);

    // A resize down: the members going leave in one removeContainers per host they were on.
    const before = await calls(svc, 'removeContainers');
    await clocker.resizeService('batch', 'web', { size: 7 });
    const shrunk = await clocker.waitFor('batch', (v) => v.services[0]!.members.length === 7, 30_000);
    const goneFrom = new Set(grown.services[0]!.members.filter((m) => !shrunk.services[0]!.members.some((x) => x.member === m.member)).map((m) => m.hostId));
    assert.equal((await calls(svc, 'removeContainers')) - before, goneFrom.size);

    // The destroy: one more per host; a member whose removal fails once is removed alone.
    const last = shrunk.services[0]!.members;
    engine.flakyRemovals.set(last[0]!.containerName, 1);
    assert.equal((await clocker.destroy('batch', 30_000)).status, 'DESTROYED');
    assert.equal(await calls(svc, 'removeContainers'), before + goneFrom.size + new Set(last.map((m) => m.hostId)).size);
    assert.equal(await calls(svc, 'removeContainer'), 1, 'the flaky removal alone, retried');
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('batch.')), [], 'every member removed');
  });

  test('a member no retry mends fails alone: the others of its batch were made, the failure names it', async () => {
    await clocker.ensureInfrastructure(fakeHosts('batchf', { count: 1, maxContainers: 6 }));
    engine.failingNames.add('batchf.web.2');
    try {
      await clocker.deploy(web('batchf', 3));
      const view = await clocker.waitFor('batchf', (v) => v.status !== 'DEPLOYING', 30_000);
      assert.notEqual(view.status, 'RUNNING', JSON.stringify(view));
      assert.match(JSON.stringify(view), /DockerRequestError: create batchf\.web\.2 refused/);
      const made = engine.created.filter((k) => k.includes('/batchf.web.')).map((k) => k.split('/')[1]).sort();
      assert.deepEqual(made, ['batchf.web.1', 'batchf.web.3'], 'the batch made the others');
      assert.equal(await calls(workflowIds.service('batchf', 'web'), 'startMember'), 0, 'no retry for a failure no retry mends');
    } finally {
      engine.failingNames.delete('batchf.web.2');
    }
    assert.equal((await clocker.destroy('batchf', 30_000)).status, 'DESTROYED');
  });

  test('every history of this file replays deterministically', async () => {
    const { replayed, failures } = await replayEveryHistory(env);
    assert.deepEqual(failures, []);
    assert.ok(replayed >= 4, `replayed ${replayed}`);
  });
});
