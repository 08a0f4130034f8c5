// A service short of members places them again by itself once capacity returns: a failed
// host whose members found no other room, and a resize past the pool's capacity, both come
// back to the wanted size when a host is ready again or added, with no request and no duplicate.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ClockerClient } from '../../client/clockerClient';
import { hostFailedSignal, hostReadySignal } from '../../workflows/messages';
import { restoreDelay } from '../../workflows/serviceRestore';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'restore-tier';

describe('a service restores its size', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
  });
  after(async () => {
    await tier?.stop();
  });

  const web = async (app: string) => (await clocker.status(app)).services.find((s) => s.id === 'web')!;
  const containersOf = (app: string) => [...engine.containers.keys()].filter((k) => k.includes(`/${app}.web.`));

  test('the backoff starts at a second and settles at a minute, then five', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 59, 60].map(restoreDelay), [1_000, 5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 300_000]);
  });

  test('members of a failed host with nowhere to go are placed again when the host comes back', async () => {
    await clocker.ensureInfrastructure(fakeHosts('tight-hosts', { maxContainers: 2 }));
    await clocker.deploy(blueprint('tight', [serviceSpec({ id: 'web', image: 'web:1', count: 4 })], 'tight-hosts'));
    assert.equal((await clocker.waitFor('tight', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const infra = env.client.workflow.getHandle('clocker/infra/tight-hosts');
    await infra.signal(hostFailedSignal, { hostId: 'h1', reason: 'test: power' });
    // h2 is full: the two members of h1 cannot be replaced, and the application says so.
    const short = await clocker.waitFor('tight', (v) => v.services[0]!.members.length === 2 && /still missing/.test(v.services[0]!.lastEvent ?? ''), 30_000);
    assert.equal(short.status, 'DEGRADED', JSON.stringify(short));
    assert.equal(short.services[0]!.desired, 4);
    assert.match(short.services[0]!.lastEvent ?? '', /^2 of 4 members still missing \(.*\); trying again in \d+s$/);

    await infra.signal(hostReadySignal, { hostId: 'h1', docker: { kind: 'tcp', host: 'h1', port: 2375 }, cpus: 4, memoryBytes: 8 * 2 ** 30, dockerVersion: '24.0.0' });
    const back = await clocker.waitFor('tight', (v) => v.status === 'RUNNING' && v.services[0]!.members.filter((m) => m.state === 'RUNNING').length === 4 && /^restored/.test(v.services[0]!.lastEvent ?? ''), 60_000);
    const svc = back.services[0]!;
    assert.equal(svc.lastEvent, 'restored to 4 members (2 placed again)');
    assert.deepEqual(svc.members.map((m) => m.hostId).sort(), ['h1', 'h1', 'h2', 'h2']);
    // No duplicate: exactly the four members' containers, the written-off ones swept from h1.
    assert.deepEqual(containersOf('tight').sort(), svc.members.map((m) => `${m.hostId}/${m.containerName}`).sort());
    assert.equal((await clocker.destroy('tight', 30_000)).status, 'DESTROYED');
  });

  test('when only some of the missing members fit, those run while the rest wait', async () => {
    await clocker.ensureInfrastructure(fakeHosts('part-hosts', { maxContainers: 3 }));
    await clocker.deploy(blueprint('part', [serviceSpec({ id: 'web', image: 'web:1', count: 4, placement: { strategies: ['breadth-first'], constraints: { labels: {}, regions: [], zones: [] } } })], 'part-hosts'));
    const up = await clocker.waitFor('part', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.deepEqual(up.services[0]!.members.map((m) => m.hostId).sort(), ['h1', 'h1', 'h2', 'h2']);
    await env.client.workflow.getHandle('clocker/infra/part-hosts').signal(hostFailedSignal, { hostId: 'h1', reason: 'test: power' });
    // h2 has room for one of h1's two: it runs, the other waits.
    const partial = await clocker.waitFor('part', (v) => v.services[0]!.members.filter((m) => m.state === 'RUNNING').length === 3 && /still missing/.test(v.services[0]!.lastEvent ?? ''), 30_000);
    assert.match(partial.services[0]!.lastEvent ?? '', /^1 of 4 members still missing/);
    assert.ok(partial.services[0]!.members.every((m) => m.hostId === 'h2'));
    assert.equal((await clocker.destroy('part', 30_000)).status, 'DESTROYED');
  });

  test('a resize past the pool is completed when another application frees room', async () => {
    await clocker.ensureInfrastructure(fakeHosts('grow-hosts', { count: 1, maxContainers: 2 }));
    await clocker.deploy(blueprint('hog', [serviceSpec({ id: 'web', image: 'web:1', count: 1 })], 'grow-hosts'));
    await clocker.deploy(blueprint('grow', [serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 4 } })], 'grow-hosts'));
    for (const app of ['hog', 'grow']) assert.equal((await clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await clocker.resizeService('grow', 'web', { size: 2 });
    // Wait until its next try is at least 10 s off, so that what brings it back is the word from
    // the infrastructure, not its own backoff timer racing the release (seen under CI load).
    await clocker.waitFor('grow', (v) => v.services[0]!.desired === 2 && /still missing.*trying again in (\d\d+)s$/.test(v.services[0]!.lastEvent ?? ''), 60_000);
    assert.equal((await web('grow')).members.length, 1);

    assert.equal((await clocker.destroy('hog', 30_000)).status, 'DESTROYED');
    // The members show RUNNING a moment before the restore writes its last event: wait for both.
    const grown = await clocker.waitFor('grow', (v) => v.services[0]!.members.filter((m) => m.state === 'RUNNING').length === 2 && /^restored/.test(v.services[0]!.lastEvent ?? ''), 60_000);
    assert.equal(grown.services[0]!.lastEvent, 'restored to 2 members (1 placed again)');
    // The infrastructure told the waiting service that room was freed (it did not wait for its backoff).
    const { events } = await env.client.workflow.getHandle('clocker/app/grow/svc/web').fetchHistory();
    assert.ok(events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'capacityFreed'), 'capacityFreed was signalled');
    await waitUntil('no other container', 5_000, async () => containersOf('grow').length === 2);
    assert.equal((await clocker.destroy('grow', 30_000)).status, 'DESTROYED');
  });
});
