// Repair in place, on a real Temporal server with the in-memory engine: a failed or degraded
// application converges when the same version is deployed again, `start` brings a service to
// its size (not just "RUNNING"), and the application's status is derived from its services.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ClockerClient } from '../../client/clockerClient';
import { workflowIds } from '../../domain/naming';
import { searchAttributes } from '../../workflows/searchAttributes';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, replayEveryHistory, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'repair-tier';

const hosts = (name: string) => fakeHosts(name, { maxContainers: 4 });

describe('repair in place and manual resizing', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
  });

  after(() => tier?.stop());

  const searchStatus = async (app: string) => (await env.client.workflow.getHandle(workflowIds.application(app)).describe()).typedSearchAttributes.get(searchAttributes.status);

  test('deploying the same version onto a FAILED application retries the failed service and its dependents, with no destroy', async () => {
    await clocker.ensureInfrastructure(hosts('fix-hosts'));
    const app = blueprint('fixme', [serviceSpec({ id: 'db', image: 'db:1' }), serviceSpec({ id: 'web', image: 'web:1', count: 2, dependsOn: ['db'] })], 'fix-hosts');
    engine.failingNames.add('fixme.db.1');
    await clocker.deploy(app);
    const failed = await clocker.waitFor('fixme', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(failed.status, 'FAILED');
    assert.deepEqual(failed.services.map((s) => `${s.id}:${s.status}`), ['db:FAILED', 'web:PENDING']);

    engine.failingNames.delete('fixme.db.1'); // the cause is fixed
    const answer = await clocker.deploy(app);
    assert.equal(answer.kind === 'updated' ? answer.plan : answer.kind, 'fixme: no changes\n  repair db: DockerRequestError: create fixme.db.1 refused\n  repair web: not started');
    const fixed = await clocker.waitFor('fixme', (v) => v.version === 2 && v.status !== 'UPDATING', 30_000);
    assert.equal(fixed.status, 'RUNNING', JSON.stringify(fixed));
    assert.deepEqual(fixed.services.map((s) => `${s.id}:${s.members.filter((m) => m.state === 'RUNNING').length}`), ['db:1', 'web:2']);
    await waitUntil('the search attribute says RUNNING', 10_000, async () => (await searchStatus('fixme')) === 'RUNNING');
    assert.equal((await clocker.destroy('fixme', 30_000)).status, 'DESTROYED');
    assert.equal([...engine.containers.keys()].filter((k) => k.includes('/fixme.')).length, 0);
  });

  test('`start` of a service that lost its members places them again, and says FAILED when it cannot', async () => {
    await clocker.ensureInfrastructure(hosts('start-hosts'));
    const app = blueprint('starter', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'start-hosts');
    // Every member id the service may try meanwhile fails too: a short service restores itself (serviceRestore), and this test is about `start`.
    for (let i = 2; i <= 40; i++) engine.failingNames.add(`starter.web.${i}`);
    await clocker.deploy(app);
    assert.equal((await clocker.waitFor('starter', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'FAILED');

    // Still refused: start reaches FAILED, not a RUNNING service without members.
    const refused = await clocker.effector('starter', 'start', 'web', 30_000);
    assert.equal(refused.services[0]?.status, 'FAILED', JSON.stringify(refused.services[0]));
    assert.match(refused.services[0]?.error ?? '', /^\d of 2 members running; /);
    assert.equal(refused.status, 'FAILED');

    engine.failingNames.clear();
    const started = await clocker.effector('starter', 'start', 'web', 30_000);
    assert.equal(started.services[0]?.status, 'RUNNING');
    assert.equal(started.services[0]?.members.filter((m) => m.state === 'RUNNING').length, 2);
    await clocker.waitFor('starter', (v) => v.status === 'RUNNING', 10_000);
    assert.equal((await clocker.destroy('starter', 30_000)).status, 'DESTROYED');
  });

  test('the application status follows its services: one stopped of two is DEGRADED, all stopped is STOPPED, started again is RUNNING', async () => {
    await clocker.ensureInfrastructure(hosts('mood-hosts'));
    await clocker.deploy(blueprint('moods', [serviceSpec({ id: 'db', image: 'db:1' }), serviceSpec({ id: 'web', image: 'web:1', dependsOn: ['db'] })], 'mood-hosts'));
    await clocker.waitFor('moods', (v) => v.status === 'RUNNING', 30_000);

    await clocker.effector('moods', 'stop', 'web', 30_000);
    const degraded = await clocker.waitFor('moods', (v) => v.status !== 'RUNNING', 10_000);
    assert.equal(degraded.status, 'DEGRADED');
    assert.equal(degraded.error, 'web: stopped');
    await waitUntil('the search attribute says DEGRADED', 10_000, async () => (await searchStatus('moods')) === 'DEGRADED');

    await clocker.effector('moods', 'stop', 'db', 30_000);
    assert.equal((await clocker.waitFor('moods', (v) => v.status !== 'DEGRADED', 10_000)).status, 'STOPPED');
    // A deploy of the same version brings everything back, as `docker compose up` does.
    await clocker.deploy(blueprint('moods', [serviceSpec({ id: 'db', image: 'db:1' }), serviceSpec({ id: 'web', image: 'web:1', dependsOn: ['db'] })], 'mood-hosts'));
    const back = await clocker.waitFor('moods', (v) => v.version === 2 && v.status === 'RUNNING', 30_000);
    assert.deepEqual(back.services.map((s) => s.status), ['RUNNING', 'RUNNING']);
    assert.equal((await clocker.destroy('moods', 30_000)).status, 'DESTROYED');
  });

  test('an application that could not start at all starts when a version it can run is deployed', async () => {
    await clocker.ensureInfrastructure(hosts('blocked-hosts'));
    const withNetwork = (driver: 'calico' | 'bridge') => ({
      ...blueprint('blocked', [serviceSpec({ id: 'web', image: 'web:1', networks: [{ network: 'back', aliases: [] }] })], 'blocked-hosts'),
      networks: [{ id: 'back', dnsServers: [], driver, shared: false, addIptablesRules: false, labels: {} }],
    });
    await clocker.deploy(withNetwork('calico'));
    const blocked = await clocker.waitFor('blocked', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(blocked.status, 'FAILED');
    assert.match(blocked.error ?? '', /driver "calico"/);

    const answer = await clocker.deploy(withNetwork('bridge'));
    assert.match(answer.kind === 'updated' ? answer.plan : '', /repair: start again from the beginning/);
    const started = await clocker.waitFor('blocked', (v) => v.version === 2 && (v.status === 'RUNNING' || v.status === 'FAILED'), 30_000);
    assert.equal(started.status, 'RUNNING', JSON.stringify(started));
    assert.ok([...engine.networks].some((n) => n.endsWith('/blocked.back')), 'the network was made this time');
    assert.equal((await clocker.destroy('blocked', 30_000)).status, 'DESTROYED');
  });

  test('the resize Update answers the size it accepted, refuses one outside the bounds, and the members follow', async () => {
    await clocker.ensureInfrastructure(hosts('size-hosts'));
    await clocker.deploy(blueprint('sizes', [serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 4 } })], 'size-hosts'));
    await clocker.waitFor('sizes', (v) => v.status === 'RUNNING', 30_000);
    assert.deepEqual(await clocker.resizeService('sizes', 'web', { size: 3 }), { size: 3, from: 1 });
    const grown = await clocker.waitFor('sizes', (v) => v.services[0]?.members.filter((m) => m.state === 'RUNNING').length === 3, 30_000);
    assert.equal(grown.services[0]?.desired, 3);
    await assert.rejects(clocker.resizeService('sizes', 'web', { size: 9 }), /sizes\/web: 9 is outside the service's bounds 1\.\.4/);
    await assert.rejects(clocker.resizeService('sizes', 'web', { by: 2 }), /5 is outside the service's bounds 1\.\.4/);
    await assert.rejects(clocker.resizeService('sizes', 'web', {}), /give exactly one of "size" or "by"/);
    assert.deepEqual(await clocker.resizeService('sizes', 'web', { by: -2 }), { size: 1, from: 3 });
    const shrunk = await clocker.waitFor('sizes', (v) => v.services[0]?.members.length === 1, 30_000);
    assert.deepEqual(shrunk.services[0]?.members.map((m) => m.member), ['1'], 'the oldest member stays');
    assert.equal((await clocker.destroy('sizes', 30_000)).status, 'DESTROYED');
  });

  test('a version that adds a network (an application deployed before default networks) makes it, then rolls its services onto it', async () => {
    await clocker.ensureInfrastructure(hosts('grow-hosts'));
    await clocker.deploy(blueprint('grower', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'grow-hosts'));
    await clocker.waitFor('grower', (v) => v.status === 'RUNNING', 30_000);
    const next = {
      ...blueprint('grower', [serviceSpec({ id: 'web', image: 'web:1', count: 2, networks: [{ network: 'default', aliases: [] }] })], 'grow-hosts'),
      networks: [{ id: 'default', dnsServers: [], driver: 'bridge' as const, shared: false, addIptablesRules: false, labels: {} }],
    };
    await clocker.deploy(next);
    const grown = await clocker.waitFor('grower', (v) => v.version === 2 && v.status !== 'UPDATING', 30_000);
    assert.equal(grown.status, 'RUNNING', JSON.stringify(grown));
    assert.ok(['h1', 'h2'].every((h) => engine.networks.has(`${h}/grower.default`)), `made on every host: ${[...engine.networks].join(', ')}`);
    const web = grown.services[0]!;
    assert.equal(web.members.length, 2);
    assert.ok(web.members.every((m) => m.networks?.default !== undefined && m.generation === web.generation), JSON.stringify(web.members));
    const subnets = (await clocker.infrastructureStatus('grow-hosts')).subnets.map((s) => s.owner);
    assert.ok(subnets.includes('grower/default'), `the subnet comes from IPAM: ${subnets.join(', ')}`);
    assert.equal((await clocker.destroy('grower', 30_000)).status, 'DESTROYED');
    assert.ok(!(await clocker.infrastructureStatus('grow-hosts')).subnets.some((s) => s.owner === 'grower/default'), 'released on destroy');
  });

  test('a subnet another network took on the engine after IPAM gave it is swapped for a fresh one before anything starts', async () => {
    await clocker.ensureInfrastructure(hosts('taken-hosts'));
    const app = {
      ...blueprint('taker', [serviceSpec({ id: 'web', image: 'web:1', networks: [{ network: 'back', aliases: [] }] })], 'taken-hosts'),
      networks: [{ id: 'back', dnsServers: [], driver: 'bridge' as const, shared: false, addIptablesRules: false, labels: {} }],
    };
    // The infrastructure's next /24 is what IPAM will hand out: another Clocker on the engine holds it.
    const probe = await clocker.allocateSubnet('taken-hosts', { owner: 'probe/x' });
    await clocker.releaseSubnet('taken-hosts', { owner: 'probe/x' });
    engine.takenSubnets.add(probe.cidr);
    try {
      await clocker.deploy(app);
      const view = await clocker.waitFor('taker', (v) => v.status !== 'DEPLOYING', 30_000);
      assert.equal(view.status, 'RUNNING', JSON.stringify(view));
      const owned = (await clocker.infrastructureStatus('taken-hosts')).subnets.find((s) => s.owner === 'taker/back');
      assert.ok(owned && owned.cidr !== probe.cidr, `another subnet than ${probe.cidr}: ${JSON.stringify(owned)}`);
    } finally {
      engine.takenSubnets.clear();
    }
    assert.equal((await clocker.destroy('taker', 30_000)).status, 'DESTROYED');
  });

  test('every history of this file replays deterministically', async () => {
    const { replayed, failures } = await replayEveryHistory(env);
    assert.deepEqual(failures, []);
    assert.ok(replayed >= 8, `replayed ${replayed}`);
  });
});
