// Application, service and infrastructure workflows on a real Temporal server, with an
// in-memory engine in place of Docker.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ClockerClient } from '../../client/clockerClient';
import { destroySignal, hostFailedSignal, hostReadySignal, serviceResizeSignal, serviceScaleSignal, serviceStatusQuery } from '../../workflows/messages';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { historiesToSave, recordHistories } from '../support/historyArchive';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, replayEveryHistory, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'workflow-tier';

const twoHosts = (name: string) => fakeHosts(name);

describe('application workflow', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let clocker: ClockerClient;
  let tier: WorkflowTier | undefined;
  const engine = new FakeEngine();

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine);
    ({ env, clocker } = tier);
  });

  after(() =>
    tier?.stop(async () => {
      // scripts/record-histories.sh: keep this file's histories (every run, every type) for later releases to replay.
      const saveTo = historiesToSave();
      if (saveTo) await recordHistories(env.client, saveTo);
    }),
  );

  test('services start in dependency order, spread over hosts, and destroy removes everything', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    const app = blueprint(
      'shop',
      [
        serviceSpec({ id: 'web', image: 'web:1', count: 2, dependsOn: ['db'], ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] }),
        serviceSpec({ id: 'db', image: 'db:1', count: 2 }),
      ],
      'two',
    );
    await clocker.deploy(app);
    const view = await clocker.waitFor('shop', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING');
    assert.deepEqual(engine.created.slice(0, 2).map((k) => k.split('/')[1]).sort(), ['shop.db.1', 'shop.db.2']);
    assert.deepEqual(engine.created.slice(2).map((k) => k.split('/')[1]).sort(), ['shop.web.1', 'shop.web.2']);
    const web = view.services.find((s) => s.id === 'web');
    assert.deepEqual(web?.members.map((m) => m.hostId).sort(), ['h1', 'h2']);
    assert.equal((await clocker.infrastructureStatus('two')).bookings.length, 4);

    const destroyed = await clocker.destroy('shop', 30_000);
    assert.equal(destroyed.status, 'DESTROYED');
    assert.deepEqual(destroyed.services.map((s) => s.status), ['DESTROYED', 'DESTROYED']);
    assert.equal(engine.containers.size, 0);
    assert.equal((await clocker.infrastructureStatus('two')).bookings.length, 0);
  });

  test('references resolve to what dependencies published; networks come before members and go at destroy', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    const backend = { id: 'backend', driver: 'bridge' as const, dnsServers: [], shared: false, addIptablesRules: false, labels: {} };
    const app = blueprint(
      'wired',
      [
        serviceSpec({ id: 'db', image: 'db:1', ports: [{ containerPort: 5432, hostPort: 0, protocol: 'tcp' }], networks: [{ network: 'backend', aliases: [] }] }),
        serviceSpec({
          id: 'web',
          image: 'web:1',
          dependsOn: ['db'],
          networks: [{ network: 'backend', aliases: ['app'] }],
          envTemplates: {
            DB: {
              parts: [
                { kind: 'attribute', service: 'db', attribute: 'host.address' },
                { kind: 'text', text: ':' },
                { kind: 'attribute', service: 'db', attribute: 'port.5432' },
                { kind: 'text', text: ' via ' },
                { kind: 'attribute', service: 'db', attribute: 'ip.backend' },
              ],
            },
            PASSWORD: { parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] },
          },
        }),
      ],
      'two',
    );
    app.networks = [backend];
    await clocker.deploy(app);
    const view = await clocker.waitFor('wired', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const db = view.services.find((s) => s.id === 'db')?.members[0];
    const web = [...engine.containers.values()].find((c) => c.name === 'wired.web.1');
    // The secret stays a reference all the way to the activity (here, its text form).
    assert.deepEqual(web?.env, { DB: `${db?.hostAddress}:30001 via 10.9.0.11`, PASSWORD: '${secret:DB_PASSWORD}' });
    assert.ok([...engine.networks].some((n) => n.endsWith('/wired.backend')));

    assert.equal((await clocker.destroy('wired', 30_000)).status, 'DESTROYED');
    assert.equal([...engine.networks].filter((n) => n.endsWith('/wired.backend')).length, 0);
  });

  test('networks get subnets from the infrastructure: carved from a pool, or the CIDR asked for if free', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    const net = (id: string, cidr?: string) => ({ id, driver: 'bridge' as const, dnsServers: [], shared: false, addIptablesRules: false, labels: {}, ...(cidr ? { cidr } : {}) });
    const first = blueprint('nets1', [serviceSpec({ id: 'a', image: 'a:1', networks: [{ network: 'front', aliases: [] }] })], 'two');
    first.networks = [net('front'), net('back', '192.168.77.0/24')];
    await clocker.deploy(first);
    assert.equal((await clocker.waitFor('nets1', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const subnets = (await clocker.infrastructureStatus('two')).subnets;
    assert.deepEqual(subnets.map((s) => [s.owner, s.cidr]).sort(), [['nets1/back', '192.168.77.0/24'], ['nets1/front', '10.128.0.0/24']]);

    const clash = blueprint('nets2', [serviceSpec({ id: 'b', image: 'b:1' })], 'two');
    clash.networks = [net('mine', '192.168.77.128/25')];
    await clocker.deploy(clash);
    const refused = await clocker.waitFor('nets2', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(refused.status, 'FAILED');
    assert.match(refused.error ?? '', /^networks: SubnetRejectedError: no subnet for nets2\/mine on infrastructure "two": .*192\.168\.77\.0\/24/);
    assert.equal(refused.services[0]?.status, 'PENDING');

    await clocker.destroy('nets1', 30_000);
    await clocker.destroy('nets2', 30_000);
    assert.deepEqual((await clocker.infrastructureStatus('two')).subnets, []);
  });

  test('a blueprint asking for what cannot run yet fails before anything is placed', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    const app = blueprint('overlaid', [serviceSpec({ id: 'web', image: 'web:1', networks: [{ network: 'mesh', aliases: [] }] })], 'two');
    app.networks = [{ id: 'mesh', driver: 'weave', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }];
    await clocker.deploy(app);
    const view = await clocker.waitFor('overlaid', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'FAILED');
    assert.equal(view.error, 'not supported yet: network mesh: driver "weave" (only "bridge", on one host, "overlay", across a swarm, and "routed" work so far)');
    assert.equal((await clocker.infrastructureStatus('two')).bookings.filter((b) => b.app === 'overlaid').length, 0);
    assert.equal((await clocker.destroy('overlaid', 30_000)).status, 'DESTROYED');
  });

  test('a reference to an attribute nobody publishes fails that service before it starts', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    const app = blueprint(
      'typo',
      [
        serviceSpec({ id: 'db', image: 'db:1' }),
        serviceSpec({ id: 'web', image: 'web:1', dependsOn: ['db'], envTemplates: { DB: { parts: [{ kind: 'attribute', service: 'db', attribute: 'hots.address' }] } } }),
      ],
      'two',
    );
    await clocker.deploy(app);
    const view = await clocker.waitFor('typo', (v) => v.status !== 'DEPLOYING', 30_000);
    // db runs, web cannot: the application is DEGRADED (derived from its services), naming web.
    assert.equal(view.status, 'DEGRADED');
    assert.match(view.error ?? '', /^web: unresolved references/);
    assert.equal(view.services.find((s) => s.id === 'web')?.error, 'unresolved references (is the attribute name right?): DB: ${db.hots.address}');
    assert.equal([...engine.containers.keys()].filter((k) => k.includes('typo.web')).length, 0);
    assert.equal((await clocker.destroy('typo', 30_000)).status, 'DESTROYED');
  });

  test('a new version rolls member by member (never more than one extra), then resizes; the plan says so', async () => {
    await clocker.ensureInfrastructure(twoHosts('roll'));
    const v1 = blueprint('rolling', [serviceSpec({ id: 'web', image: 'web:1', count: 3 })], 'roll');
    await clocker.deploy(v1);
    await clocker.waitFor('rolling', (v) => v.status === 'RUNNING', 30_000);
    engine.peak.clear();
    const v2 = blueprint('rolling', [serviceSpec({ id: 'web', image: 'web:2', count: 4 })], 'roll');
    assert.equal(await clocker.plan(v2), 'rolling: 2 changes\n~ web: rolling update (image)\n~ web: resize 3 -> 4');
    const outcome = await clocker.deploy(v2);
    assert.deepEqual(outcome, { kind: 'updated', plan: 'rolling: 2 changes\n~ web: rolling update (image)\n~ web: resize 3 -> 4', version: 2 });
    const view = await clocker.waitFor('rolling', (v) => v.version === 2 && v.status === 'RUNNING', 60_000);
    const web = view.services[0]!;
    assert.deepEqual(web.members.map((m) => `${m.member}:v${m.generation}`), ['4:v2', '5:v2', '6:v2', '7:v2']);
    assert.deepEqual(web.rollout, { seq: 1, generation: 2, outcome: 'DONE', message: 'rolled onto the new version', request: 1 });
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('rolling.')).map((c) => c.image).sort(), ['web:2', 'web:2', 'web:2', 'web:2']);
    assert.equal(engine.peak.get('rolling.web'), 4, 'three members plus one surge during the roll');
    assert.equal((await clocker.infrastructureStatus('roll')).bookings.filter((b) => b.app === 'rolling').length, 4);
    await clocker.destroy('rolling', 30_000);
  });

  test('a new version whose image is missing is rolled back; the old members keep serving', async () => {
    await clocker.ensureInfrastructure(twoHosts('roll'));
    await clocker.deploy(blueprint('rollback', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'roll'));
    await clocker.waitFor('rollback', (v) => v.status === 'RUNNING', 30_000);
    engine.missingImages.add('web:broken');
    await clocker.deploy(blueprint('rollback', [serviceSpec({ id: 'web', image: 'web:broken', count: 2 })], 'roll'));
    const view = await clocker.waitFor('rollback', (v) => v.version === 2 && v.status !== 'UPDATING', 60_000);
    assert.equal(view.status, 'RUNNING');
    const web = view.services[0]!;
    assert.equal(web.rollout?.outcome, 'ROLLED_BACK');
    assert.match(web.rollout?.message ?? '', /^update stopped and rolled back: member 3 on h[12]: ImageNotFoundError: image web:broken is not on h[12]$/);
    assert.deepEqual(web.members.map((m) => `${m.member}:v${m.generation}`), ['1:v1', '2:v1']);
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('rollback.')).map((c) => c.image), ['web:1', 'web:1']);
    assert.equal((await clocker.infrastructureStatus('roll')).bookings.filter((b) => b.app === 'rollback').length, 2);
    assert.deepEqual(view.rolledBack, { version: 2, services: ['web'] });

    // The next, fixed version goes through after the rollback.
    await clocker.deploy(blueprint('rollback', [serviceSpec({ id: 'web', image: 'web:3', count: 2 })], 'roll'));
    const fixed = await clocker.waitFor('rollback', (v) => v.version === 3 && v.status !== 'UPDATING', 60_000);
    assert.equal(fixed.status, 'RUNNING');
    assert.deepEqual(fixed.rolledBack, { version: 3, services: [] });
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('rollback.')).map((c) => c.image), ['web:3', 'web:3']);
    await clocker.destroy('rollback', 30_000);
  });

  test('a new version adds and removes services', async () => {
    await clocker.ensureInfrastructure(twoHosts('roll'));
    await clocker.deploy(blueprint('reshape', [serviceSpec({ id: 'a', image: 'a:1' }), serviceSpec({ id: 'b', image: 'b:1' })], 'roll'));
    await clocker.waitFor('reshape', (v) => v.status === 'RUNNING', 30_000);
    const next = blueprint('reshape', [serviceSpec({ id: 'a', image: 'a:1' }), serviceSpec({ id: 'c', image: 'c:1', dependsOn: ['a'] })], 'roll');
    const outcome = await clocker.deploy(next);
    assert.equal(outcome.kind === 'updated' && outcome.plan, 'reshape: 2 changes\n- b: remove\n+ c: add (1 member)');
    const view = await clocker.waitFor('reshape', (v) => v.version === 2 && v.status !== 'UPDATING', 60_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.deepEqual(view.services.map((s) => `${s.id}:${s.status}`), ['a:RUNNING', 'c:RUNNING']);
    assert.deepEqual([...engine.containers.values()].filter((c) => c.name.startsWith('reshape.')).map((c) => c.name).sort(), ['reshape.a.1', 'reshape.c.1']);
    await clocker.destroy('reshape', 30_000);
  });

  test("a failed host's members are replaced on the hosts that remain", async () => {
    await clocker.ensureInfrastructure(twoHosts('fragile'));
    await clocker.deploy(blueprint('survivor', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'fragile'));
    const before = await clocker.waitFor('survivor', (v) => v.status === 'RUNNING', 30_000);
    assert.deepEqual(before.services[0]?.members.map((m) => m.hostId).sort(), ['h1', 'h2']);
    const lost = before.services[0]?.members.find((m) => m.hostId === 'h1')?.member;

    await env.client.workflow.getHandle('clocker/infra/fragile').signal(hostFailedSignal, { hostId: 'h1', reason: 'test: engine gone' });
    const after = await clocker.waitFor('survivor', (v) => (v.services[0]?.lastEvent ?? '') !== '', 30_000);
    const web = after.services[0]!;
    assert.deepEqual(web.members.map((m) => m.hostId), ['h2', 'h2']);
    assert.equal(web.lastEvent, `host h1 failed (test: engine gone): replaced member ${lost} with 3`);
    const books = await clocker.infrastructureStatus('fragile');
    assert.equal(books.hosts.find((h) => h.id === 'h1')?.status, 'FAILED');
    assert.deepEqual(books.bookings.filter((b) => b.app === 'survivor').map((b) => b.hostId), ['h2', 'h2']);
    // The written-off member's container is still on h1, unbooked, until something sweeps it.
    assert.deepEqual([...engine.containers.keys()].filter((k) => k.includes('survivor')).sort(), [`h1/survivor.web.${lost}`, ...web.members.map((m) => `h2/${m.containerName}`)].sort());
    // Here the fake h1 answers again, so destroy's sweep of every host the application used takes it.
    const destroyed = await clocker.destroy('survivor', 30_000);
    assert.equal(destroyed.lastEvent, `destroy removed containers no service removed: survivor.web.${lost}`);
    assert.deepEqual([...engine.containers.keys()].filter((k) => k.includes('survivor')), []);
  });

  test('scale and resize signals (as plain `temporal workflow signal` sends them) change the size within the bounds', async () => {
    await clocker.ensureInfrastructure(twoHosts('elastic'));
    await clocker.deploy(blueprint('elastic', [serviceSpec({ id: 'web', image: 'web:1', count: 2, size: { initial: 2, min: 1, max: 4 } })], 'elastic'));
    await clocker.waitFor('elastic', (v) => v.status === 'RUNNING', 30_000);
    const svc = env.client.workflow.getHandle('clocker/app/elastic/svc/web');
    const size = async () => (await clocker.status('elastic')).services[0]!.members.filter((m) => m.state === 'RUNNING').length;
    await svc.signal(serviceScaleSignal, { by: 1 });
    await waitUntil('3 members', 30_000, async () => (await size()) === 3);
    await svc.signal(serviceResizeSignal, 10);
    await waitUntil('held at the max of 4', 30_000, async () => (await size()) === 4);
    assert.equal((await clocker.status('elastic')).services[0]?.lastEvent, "resize to 10: held to 4 by the cluster's bounds 1..4");
    await svc.signal(serviceResizeSignal, { size: 1 });
    await waitUntil('1 member', 30_000, async () => (await size()) === 1);
    // The application hears of removed members first; their room is released right after.
    await waitUntil('1 booking', 30_000, async () => (await clocker.infrastructureStatus('elastic')).bookings.filter((b) => b.app === 'elastic').length === 1);
    await clocker.destroy('elastic', 30_000);
  });

  test('a failed application is repaired by a new version: a never-started service removed, the broken one fixed', async () => {
    await clocker.ensureInfrastructure(twoHosts('repair'));
    engine.missingImages.add('db:broken');
    const v1 = blueprint('repair', [serviceSpec({ id: 'db', image: 'db:broken' }), serviceSpec({ id: 'web', image: 'web:1', dependsOn: ['db'] })], 'repair');
    await clocker.deploy(v1);
    const failed = await clocker.waitFor('repair', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.deepEqual(failed.services.map((s) => `${s.id}:${s.status}`), ['db:FAILED', 'web:PENDING']);

    await clocker.deploy(blueprint('repair', [serviceSpec({ id: 'db', image: 'db:2' }), serviceSpec({ id: 'api', image: 'api:1', dependsOn: ['db'] })], 'repair'));
    const repaired = await clocker.waitFor('repair', (v) => v.version === 2 && v.status !== 'UPDATING', 30_000);
    assert.equal(repaired.status, 'RUNNING', JSON.stringify(repaired));
    assert.deepEqual(repaired.services.map((s) => `${s.id}:${s.status}`), ['db:RUNNING', 'api:RUNNING']);
    assert.equal((await clocker.destroy('repair', 30_000)).status, 'DESTROYED');
  });

  test('stop, start and restart reach every service in dependency order', async () => {
    await clocker.ensureInfrastructure(twoHosts('effect'));
    await clocker.deploy(blueprint('effects', [serviceSpec({ id: 'db', image: 'db:1' }), serviceSpec({ id: 'web', image: 'web:1', count: 2, dependsOn: ['db'] })], 'effect'));
    await clocker.waitFor('effects', (v) => v.status === 'RUNNING', 30_000);
    const ours = () => [...engine.containers.keys()].filter((k) => k.includes('/effects.'));

    const stopped = await clocker.effector('effects', 'stop', undefined, 30_000);
    assert.deepEqual(stopped.services.map((s) => `${s.id}:${s.status}`), ['db:STOPPED', 'web:STOPPED']);
    assert.equal(ours().filter((k) => engine.stopped.has(k)).length, 3);
    await clocker.waitFor('effects', (v) => v.status === 'STOPPED', 10_000);

    const started = await clocker.effector('effects', 'start', undefined, 30_000);
    assert.deepEqual(started.services.map((s) => `${s.id}:${s.status}`), ['db:RUNNING', 'web:RUNNING']);
    assert.equal(ours().filter((k) => engine.stopped.has(k)).length, 0);

    const restarted = await clocker.effector('effects', 'restart', 'web', 30_000);
    assert.equal(restarted.services.find((s) => s.id === 'web')?.effectorsDone, 3);
    assert.equal(restarted.services.find((s) => s.id === 'db')?.effectorsDone, 2);
    assert.equal(ours().length, 3, 'restart keeps the same containers');
    await clocker.destroy('effects', 30_000);
  });

  test('a service continues as new with its members, queued work and ids intact', async () => {
    await clocker.ensureInfrastructure(twoHosts('long'));
    const spec = serviceSpec({ id: 'web', image: 'web:1', count: 1, size: { initial: 1, min: 1, max: 5 } });
    const handle = await env.client.workflow.start('service', {
      taskQueue: TASK_QUEUE,
      workflowId: 'clocker/app/longlived/svc/web',
      args: [{ app: 'longlived', infrastructure: 'long', spec, continueAsNewEvery: 2 }],
    });
    const view = () => handle.query(serviceStatusQuery);
    await waitUntil('running', 30_000, async () => (await view()).status === 'RUNNING');
    for (const by of [1, 1, 1]) await handle.signal(serviceScaleSignal, { by });
    await waitUntil('4 members', 30_000, async () => (await view()).members.filter((m) => m.state === 'RUNNING').length === 4);
    const description = await handle.describe();
    assert.notEqual(description.runId, handle.firstExecutionRunId, 'it continued as new');
    await handle.signal(serviceScaleSignal, -2);
    await waitUntil('2 members', 30_000, async () => (await view()).members.length === 2);
    assert.deepEqual((await view()).members.map((m) => m.member), ['1', '2'], 'the oldest stay; ids keep counting across runs');
    await handle.signal(serviceScaleSignal, 1);
    await waitUntil('3 members', 30_000, async () => (await view()).members.length === 3);
    assert.deepEqual((await view()).members.map((m) => m.member), ['1', '2', '5']);
    await handle.signal(destroySignal);
    const last = await handle.result();
    assert.equal(last.status, 'DESTROYED');
    assert.deepEqual([...engine.containers.keys()].filter((k) => k.includes('longlived')), []);
    assert.equal((await clocker.infrastructureStatus('long')).bookings.length, 0);
  });

  test('a missing image fails its service with the reason, cleans up, and never starts dependents', async () => {
    await clocker.ensureInfrastructure(twoHosts('two'));
    engine.missingImages.add('broken:1');
    const app = blueprint(
      'broken',
      [
        serviceSpec({ id: 'db', image: 'db:1', count: 1 }),
        serviceSpec({ id: 'api', image: 'broken:1', count: 2, dependsOn: ['db'] }),
        serviceSpec({ id: 'lb', image: 'lb:1', dependsOn: ['api'] }),
      ],
      'two',
    );
    await clocker.deploy(app);
    const view = await clocker.waitFor('broken', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'DEGRADED', 'db runs; api failed and lb never started');
    assert.match(view.error ?? '', /api: ImageNotFoundError.*; lb: not started$/);
    const api = view.services.find((s) => s.id === 'api');
    assert.equal(api?.status, 'FAILED');
    assert.match(api?.error ?? '', /^ImageNotFoundError: image broken:1 is not on h[12]$/);
    assert.equal(view.services.find((s) => s.id === 'lb')?.status, 'PENDING');
    assert.deepEqual([...engine.containers.keys()].map((k) => k.split('/')[1]), ['broken.db.1']);
    const bookings = (await clocker.infrastructureStatus('two')).bookings;
    assert.deepEqual(bookings.map((b) => `${b.app}.${b.service}.${b.member}`), ['broken.db.1']);

    await clocker.destroy('broken', 30_000);
    assert.equal(engine.containers.size, 0);
    assert.equal((await clocker.infrastructureStatus('two')).bookings.length, 0);
  });

  test('a blueprint naming an infrastructure that does not run fails with what to do', async () => {
    await clocker.deploy(blueprint('lost', [serviceSpec({ id: 'web', image: 'web:1' })], 'nowhere'));
    const view = await clocker.waitFor('lost', (v) => v.status !== 'DEPLOYING', 30_000);
    assert.equal(view.status, 'FAILED');
    // The admission finds it before anything is booked or created.
    assert.match(view.error ?? '', /^refused before anything was created: location: infrastructure "nowhere" is not running; start it with `clocker up`/);
    assert.deepEqual(view.services.map((s) => s.status), ['PENDING']);
    await clocker.destroy('lost', 30_000);
  });

  test('twenty services placing at once never over-commit a host', async () => {
    await clocker.ensureInfrastructure({ ...twoHosts('tight'), name: 'tight' });
    // 2 hosts x 3 containers = 6 slots; 20 one-member apps compete for them.
    const names = Array.from({ length: 20 }, (_, i) => `race${i}`);
    await Promise.all(names.map((n) => clocker.deploy(blueprint(n, [serviceSpec({ id: 'svc', image: 'x:1' })], 'tight'))));
    const views = await Promise.all(names.map((n) => clocker.waitFor(n, (v) => v.status !== 'DEPLOYING', 60_000)));
    assert.equal(views.filter((v) => v.status === 'RUNNING').length, 6);
    for (const v of views.filter((x) => x.status === 'FAILED')) assert.match(v.error ?? '', /PlacementRejectedError: no room on infrastructure "tight": no host fits member 1 of race\d+\/svc \(placed 0 of 1\): 2 hosts: 2 over maxContainers=3/);
    const perHost = new Map<string, number>();
    for (const b of (await clocker.infrastructureStatus('tight')).bookings) perHost.set(b.hostId, (perHost.get(b.hostId) ?? 0) + 1);
    assert.deepEqual([...perHost.entries()].sort(), [['h1', 3], ['h2', 3]]);
    // A bound, not a timing: twenty destroys at once on a dev server that CI's other groups load too.
    await Promise.all(names.map((n) => clocker.destroy(n, 180_000)));
    assert.equal((await clocker.infrastructureStatus('tight')).bookings.length, 0);
  });

  test('a balancer with `reload` follows a rolling update: new members are added, draining ones dropped before they go, nothing is recreated', async () => {
    await clocker.ensureInfrastructure(twoHosts('follow-hosts'));
    const members8080 = { parts: [{ kind: 'attribute' as const, service: 'web', attribute: 'members.8080' }] };
    const web = (image: string) => serviceSpec({ id: 'web', image, count: 2, size: { initial: 2, min: 1, max: 3 }, ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] });
    const lb = serviceSpec({
      id: 'lb',
      image: 'lb:1',
      dependsOn: ['web'],
      envTemplates: { BACKENDS: members8080 },
      reload: { exec: [{ parts: [{ kind: 'text', text: 'reload-backends' }] }, members8080], timeoutMs: 5_000 },
    });
    await clocker.deploy(blueprint('follow', [web('web:1'), lb], 'follow-hosts'));
    assert.equal((await clocker.waitFor('follow', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const backends = (view: Awaited<ReturnType<typeof clocker.status>>) =>
      view.services.find((s) => s.id === 'web')!.members.map((m) => `${m.hostAddress}:${m.ports[0]?.boundHostPort}`).sort().join(',');
    const lbEnv = () => [...engine.containers.values()].find((c) => c.name === 'follow.lb.1')?.env['BACKENDS'];
    assert.equal(lbEnv()?.split(',').sort().join(','), backends(await clocker.status('follow')));
    const logStart = engine.log.length;

    await clocker.deploy(blueprint('follow', [web('web:2'), lb], 'follow-hosts'));
    const rolled = await clocker.waitFor('follow', (v) => v.status === 'RUNNING' && v.services.find((s) => s.id === 'web')?.rollout?.outcome === 'DONE', 30_000);
    const log = engine.log.slice(logStart);
    const execs = (upTo: number) => log.slice(0, upTo).filter((l) => l.startsWith('exec follow.lb.1 reload-backends'));
    for (const old of ['follow.web.1', 'follow.web.2']) {
      const removedAt = log.indexOf(`remove ${old}`);
      assert.ok(removedAt > 0, `${old} removed: ${log.join('\n')}`);
      // The balancer's last reload before the removal no longer lists the member (ports 30001, 30002).
      const last = execs(removedAt).at(-1) ?? '';
      assert.doesNotMatch(last, new RegExp(`:3000${old.at(-1)}(,|$)`), log.join('\n'));
    }
    // New members were handed to the balancer as soon as they were up, before the old ones went.
    assert.ok(log.indexOf('remove follow.web.1') > log.findIndex((l) => l.startsWith('exec') && l.includes(':30003')), log.join('\n'));
    assert.equal(execs(log.length).at(-1)?.split(' ')[3]?.split(',').sort().join(','), backends(rolled));
    assert.ok(!log.some((l) => l.startsWith('create follow.lb')), 'the balancer is reloaded, never recreated');
    assert.match(rolled.lastEvent ?? '', /^lb: reload ran in 1 member$/);

    // A resize of the backends reaches the balancer too, as plain signals would.
    await env.client.workflow.getHandle('clocker/app/follow/svc/web').signal(serviceResizeSignal, { size: 3 });
    const lastReload = () => engine.log.filter((l) => l.startsWith('exec follow.lb.1 reload-backends')).at(-1) ?? '';
    await waitUntil('the balancer lists three backends', 30_000, async () => lastReload().split(' ')[3]?.split(',').length === 3);
    assert.equal((await clocker.destroy('follow', 30_000)).status, 'DESTROYED');
    assert.equal(engine.containers.size, 0);
  });

  test('a dependent without `reload` is rolled onto the new values once its dependency has rolled', async () => {
    await clocker.ensureInfrastructure(twoHosts('rebind-hosts'));
    const db = (image: string) => serviceSpec({ id: 'db', image, ports: [{ containerPort: 5432, hostPort: 0, protocol: 'tcp' }] });
    const web = serviceSpec({
      id: 'web',
      image: 'web:1',
      dependsOn: ['db'],
      envTemplates: { DB: { parts: [{ kind: 'attribute', service: 'db', attribute: 'host.address' }, { kind: 'text', text: ':' }, { kind: 'attribute', service: 'db', attribute: 'port.5432' }] } },
    });
    await clocker.deploy(blueprint('rebind', [db('db:1'), web], 'rebind-hosts'));
    assert.equal((await clocker.waitFor('rebind', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await clocker.deploy(blueprint('rebind', [db('db:2'), web], 'rebind-hosts'));
    const view = await clocker.waitFor('rebind', (v) => v.status === 'RUNNING' && v.services.find((s) => s.id === 'web')?.members[0]?.member === '2', 30_000);
    const dbMember = view.services.find((s) => s.id === 'db')!.members[0]!;
    const webNow = [...engine.containers.values()].find((c) => c.name === 'rebind.web.2');
    assert.equal(webNow?.env['DB'], `${dbMember.hostAddress}:${dbMember.ports[0]?.boundHostPort}`);
    assert.equal(dbMember.member, '2');
    assert.match(view.lastEvent ?? '', /^web: rolled onto new values of db$/);
    assert.equal((await clocker.destroy('rebind', 30_000)).status, 'DESTROYED');
  });

  test('a service with a fixed host port rolls stop-first: never two members holding the port', async () => {
    await clocker.ensureInfrastructure(twoHosts('fixed-hosts'));
    const web = (image: string) => serviceSpec({ id: 'web', image, count: 2, ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }], placement: { strategies: [], constraints: { labels: {}, regions: [], zones: [], maxPerHost: 1 } } });
    await clocker.deploy(blueprint('fixed', [web('web:1')], 'fixed-hosts'));
    assert.equal((await clocker.waitFor('fixed', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await clocker.deploy(blueprint('fixed', [web('web:2')], 'fixed-hosts'));
    const view = await clocker.waitFor('fixed', (v) => v.status === 'RUNNING' && v.services[0]?.rollout?.outcome === 'DONE', 30_000);
    assert.deepEqual(view.services[0]?.members.map((m) => m.member).sort(), ['3', '4']);
    assert.equal(engine.peak.get('fixed.web'), 2);
    assert.equal((await clocker.destroy('fixed', 30_000)).status, 'DESTROYED');
  });

  test('an application continues as new and keeps running its services: updates, signals, effectors and destroy still work', async () => {
    await clocker.ensureInfrastructure(twoHosts('long-hosts'));
    const web = (image: string) => serviceSpec({ id: 'web', image, count: 2, size: { initial: 2, min: 1, max: 3 }, dependsOn: ['db'] });
    const db = serviceSpec({ id: 'db', image: 'db:1' });
    const workflowId = 'clocker/app/long';
    await env.client.workflow.start('application', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ blueprint: blueprint('long', [db, web('web:1')], 'long-hosts'), continueAsNewAtHistoryLength: 20 }],
    });
    assert.equal((await clocker.waitFor('long', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    // The history length is looked at whenever the workflow wakes: every change below is a chance.
    await clocker.deploy(blueprint('long', [db, web('web:2')], 'long-hosts'));
    await clocker.waitFor('long', (v) => v.status === 'RUNNING' && v.services.find((s) => s.id === 'web')?.rollout?.outcome === 'DONE', 30_000);
    await env.client.workflow.getHandle('clocker/app/long/svc/web').signal(serviceResizeSignal, { size: 3 });
    await clocker.waitFor('long', (v) => v.services.find((s) => s.id === 'web')?.members.filter((m) => m.state === 'RUNNING').length === 3, 30_000);
    await clocker.effector('long', 'stop', undefined, 30_000);
    await clocker.waitFor('long', (v) => v.status === 'STOPPED', 30_000);
    await clocker.effector('long', 'start', undefined, 30_000);
    await clocker.waitFor('long', (v) => v.status === 'RUNNING', 30_000);
    const runs = [];
    for await (const w of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w.runId);
    assert.ok(runs.length >= 3, `runs: ${runs.length}`);

    const destroyed = await clocker.destroy('long', 30_000);
    assert.equal(destroyed.status, 'DESTROYED', JSON.stringify(destroyed));
    assert.deepEqual(destroyed.services.map((s) => s.status).sort(), ['DESTROYED', 'DESTROYED']);
    assert.ok(![...engine.containers.keys()].some((k) => k.includes('/long.')));
    assert.equal((await clocker.infrastructureStatus('long-hosts')).bookings.filter((b) => b.app === 'long').length, 0);
  });

  test('destroy interrupts an update that waits for a member that never gets healthy, and leaves nothing', async () => {
    await clocker.ensureInfrastructure(twoHosts('stuck-hosts'));
    engine.hangingImages.add('web:hangs');
    const web = (image: string) => serviceSpec({ id: 'web', image, count: 2 });
    await clocker.deploy(blueprint('stuck', [web('web:1')], 'stuck-hosts'));
    assert.equal((await clocker.waitFor('stuck', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await clocker.deploy(blueprint('stuck', [web('web:hangs')], 'stuck-hosts'));
    await waitUntil('the new member is waiting for health', 30_000, async () => [...engine.containers.values()].some((c) => c.name.startsWith('stuck.') && c.image === 'web:hangs'));

    const destroyed = await clocker.destroy('stuck', 30_000);
    assert.equal(destroyed.status, 'DESTROYED', JSON.stringify(destroyed));
    assert.ok(![...engine.containers.values()].some((c) => c.name.startsWith('stuck.')));
    assert.equal((await clocker.infrastructureStatus('stuck-hosts')).bookings.length, 0);
  });

  test('a service removed and added back by versions deployed back to back starts again under the same id', async () => {
    await clocker.ensureInfrastructure(twoHosts('again-hosts'));
    const db = serviceSpec({ id: 'db', image: 'db:1' });
    const cache = serviceSpec({ id: 'cache', image: 'cache:1' });
    await clocker.deploy(blueprint('again', [db, cache], 'again-hosts'));
    assert.equal((await clocker.waitFor('again', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await clocker.deploy(blueprint('again', [db], 'again-hosts'));
    await clocker.deploy(blueprint('again', [db, cache], 'again-hosts'));
    const view = await clocker.waitFor('again', (v) => v.version === 3 && (v.status === 'RUNNING' || v.status === 'FAILED'), 60_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    assert.deepEqual(view.services.find((s) => s.id === 'cache')?.members.map((m) => m.member), ['1']);
    assert.equal(engine.created.filter((k) => k.endsWith('/again.cache.1')).length, 2, 'created, removed, created again');
    assert.equal((await clocker.destroy('again', 30_000)).status, 'DESTROYED');
  });

  test('a service workflow terminated after the application continued as new does not wedge it: destroy sweeps what it left and gives its room back', async () => {
    await clocker.ensureInfrastructure(twoHosts('gone-hosts'));
    await env.client.workflow.start('application', {
      taskQueue: TASK_QUEUE,
      workflowId: 'clocker/app/gone',
      args: [{ blueprint: blueprint('gone', [serviceSpec({ id: 'db', image: 'db:1' }), serviceSpec({ id: 'web', image: 'web:1', dependsOn: ['db'] })], 'gone-hosts'), continueAsNewAtHistoryLength: 20 }],
    });
    assert.equal((await clocker.waitFor('gone', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    await env.client.workflow.getHandle('clocker/app/gone/svc/web').signal(serviceResizeSignal, { size: 1 }); // a report: the application wakes and continues as new
    await waitUntil('a second run', 30_000, async () => {
      let runs = 0;
      for await (const _ of env.client.workflow.list({ query: `WorkflowId = 'clocker/app/gone'` })) runs += 1;
      return runs >= 2;
    });
    await env.client.workflow.getHandle('clocker/app/gone/svc/web').terminate('an operator cleans up by hand');
    const destroyed = await clocker.destroy('gone', 30_000);
    assert.equal(destroyed.status, 'DESTROYED', JSON.stringify(destroyed));
    assert.match(destroyed.services.find((s) => s.id === 'web')?.error ?? '', /cannot reach its workflow/);
    assert.match(destroyed.lastEvent ?? '', /^destroy removed containers no service removed: gone\.web\.1$/);
    assert.ok(![...engine.containers.keys()].some((k) => k.includes('/gone.')), 'the sweep took what the terminated service left');
    assert.equal((await clocker.infrastructureStatus('gone-hosts')).bookings.length, 0, 'its room is back');
  });

  test('a failed host that comes back loses the containers of the members written off there, then takes new ones', async () => {
    await clocker.ensureInfrastructure(twoHosts('comeback-hosts'));
    await clocker.deploy(blueprint('comeback', [serviceSpec({ id: 'web', image: 'web:1', count: 2 })], 'comeback-hosts'));
    const before = await clocker.waitFor('comeback', (v) => v.status !== 'DEPLOYING', 30_000);
    const onH1 = before.services[0]!.members.find((m) => m.hostId === 'h1')!;
    const infra = env.client.workflow.getHandle('clocker/infra/comeback-hosts');
    await infra.signal(hostFailedSignal, { hostId: 'h1', reason: 'power' });
    await clocker.waitFor('comeback', (v) => v.services[0]!.members.every((m) => m.hostId === 'h2') && v.services[0]!.members.length === 2, 30_000);
    // The failed host was unreachable: its container is still there, written off.
    assert.ok(engine.containers.has(`h1/${onH1.containerName}`));
    // Its containers say which infrastructure they are booked in.
    assert.equal(engine.containers.get(`h1/${onH1.containerName}`)?.infrastructure, 'comeback-hosts');
    // Another infrastructure shares h1: its member there is not this one's to sweep.
    const neighbour = { name: 'neighbour.web.1', host: 'h1', image: 'web:1', env: {}, infrastructure: 'other-hosts' };
    engine.containers.set(`h1/${neighbour.name}`, neighbour);

    await infra.signal(hostReadySignal, { hostId: 'h1', docker: { kind: 'tcp', host: 'h1', port: 2375 }, cpus: 4, memoryBytes: 8 * 2 ** 30, dockerVersion: '24.0.0' });
    await waitUntil('h1 available again', 30_000, async () => (await clocker.infrastructureStatus('comeback-hosts')).hosts.find((h) => h.id === 'h1')?.status === 'AVAILABLE');
    assert.ok(!engine.containers.has(`h1/${onH1.containerName}`), 'the written-off container is gone');
    assert.ok(engine.log.includes(`sweep h1 ${onH1.containerName}`), engine.log.join('\n'));
    assert.ok(engine.containers.has(`h1/${neighbour.name}`), "the other infrastructure's member stays");
    engine.containers.delete(`h1/${neighbour.name}`);
    assert.equal((await clocker.destroy('comeback', 30_000)).status, 'DESTROYED');
  });

  test('a rolling update goes a configured batch at a time, start-first or stop-first, and a broken batch rolls back to the full count', async () => {
    await clocker.ensureInfrastructure(fakeHosts('batch-hosts', { maxContainers: 6 }));
    const web = (image: string, order?: 'start-first' | 'stop-first') => serviceSpec({ id: 'web', image, count: 4, update: { batch: 2, ...(order && { order }) } });
    await clocker.deploy(blueprint('batches', [web('web:1')], 'batch-hosts'));
    assert.equal((await clocker.waitFor('batches', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const from = engine.log.length;
    await clocker.deploy(blueprint('batches', [web('web:2')], 'batch-hosts'));
    await clocker.waitFor('batches', (v) => v.status === 'RUNNING' && v.services[0]?.rollout?.request === 1, 30_000);
    const steps = engine.log.slice(from).filter((l) => !l.startsWith('exec')).map((l) => l.replace('batches.web.', ''));
    // Two new members (any order), then the two oldest go, then the next two.
    assert.deepEqual([steps.slice(0, 2).sort(), steps.slice(2, 4).sort(), steps.slice(4, 6).sort(), steps.slice(6, 8).sort()], [
      ['create 5', 'create 6'], ['remove 1', 'remove 2'], ['create 7', 'create 8'], ['remove 3', 'remove 4'],
    ]);
    assert.equal(engine.peak.get('batches.web'), 6);

    const stopFrom = engine.log.length;
    await clocker.deploy(blueprint('batches', [web('web:3', 'stop-first')], 'batch-hosts'));
    const stopped = await clocker.waitFor('batches', (v) => v.status === 'RUNNING' && v.services[0]?.rollout?.request === 2, 30_000);
    const stopSteps = engine.log.slice(stopFrom).map((l) => l.replace('batches.web.', ''));
    assert.deepEqual(stopSteps.slice(0, 2).sort(), ['remove 5', 'remove 6'], stopSteps.join(', '));
    assert.equal(stopped.services[0]?.members.length, 4);

    engine.missingImages.add('web:gone');
    await clocker.deploy(blueprint('batches', [web('web:gone')], 'batch-hosts'));
    const back = await clocker.waitFor('batches', (v) => v.services[0]?.rollout?.request === 3, 30_000);
    const svc = back.services[0]!;
    assert.equal(svc.rollout?.outcome, 'ROLLED_BACK');
    assert.equal(svc.status, 'RUNNING', JSON.stringify(svc));
    assert.equal(svc.members.filter((m) => m.state === 'RUNNING').length, 4);
    assert.ok(svc.members.every((m) => m.generation === svc.generation), 'every member runs the version before');
    assert.equal((await clocker.destroy('batches', 30_000)).status, 'DESTROYED');
  });

  test('one member of a start-first batch fails while the other starts: the rollback ends with exactly the old count on the old version', async () => {
    await clocker.ensureInfrastructure(fakeHosts('partial-hosts', { maxContainers: 6 }));
    const web = (image: string) => serviceSpec({ id: 'web', image, count: 3, update: { batch: 2, order: 'start-first' } });
    await clocker.deploy(blueprint('partial', [web('web:1')], 'partial-hosts'));
    const before = await clocker.waitFor('partial', (v) => v.status !== 'DEPLOYING', 30_000);
    engine.failingNames.add('partial.web.4');
    await clocker.deploy(blueprint('partial', [web('web:2')], 'partial-hosts'));
    const after = await clocker.waitFor('partial', (v) => v.services[0]?.rollout?.request === 1, 30_000);
    const svc = after.services[0]!;
    assert.equal(svc.rollout?.outcome, 'ROLLED_BACK');
    assert.equal(svc.status, 'RUNNING', JSON.stringify(svc));
    assert.equal(svc.members.length, 3, JSON.stringify(svc.members));
    assert.ok(svc.members.every((m) => m.generation === before.services[0]!.generation && m.state === 'RUNNING'));
    const images = [...engine.containers.values()].filter((c) => c.name.startsWith('partial.')).map((c) => c.image);
    assert.deepEqual(images, ['web:1', 'web:1', 'web:1'], 'no member of the refused version is left');
    engine.failingNames.delete('partial.web.4');
    // The next update gets a generation never used before: the refused one's number is not reused.
    await clocker.deploy(blueprint('partial', [web('web:3')], 'partial-hosts'));
    const next = await clocker.waitFor('partial', (v) => v.services[0]?.rollout?.request === 2, 30_000);
    assert.equal(next.services[0]?.rollout?.outcome, 'DONE');
    assert.ok((next.services[0]?.generation ?? 0) > (svc.rollout?.generation ?? 0), JSON.stringify(next.services[0]?.rollout));
    assert.equal((await clocker.destroy('partial', 30_000)).status, 'DESTROYED');
  });

  test('a host that fails again while it is swept stays FAILED; the next ready report brings it back', async () => {
    await clocker.ensureInfrastructure(twoHosts('flap-hosts'));
    const infra = env.client.workflow.getHandle('clocker/infra/flap-hosts');
    const ready = { hostId: 'h1', docker: { kind: 'tcp' as const, host: 'h1', port: 2375 }, cpus: 4, memoryBytes: 8 * 2 ** 30, dockerVersion: '24.0.0' };
    const h1 = async () => (await clocker.infrastructureStatus('flap-hosts')).hosts.find((h) => h.id === 'h1')?.status;
    await infra.signal(hostFailedSignal, { hostId: 'h1', reason: 'power' });
    engine.sweepDelayMs = 2_000;
    try {
      await infra.signal(hostReadySignal, ready);
      await infra.signal(hostFailedSignal, { hostId: 'h1', reason: 'power again' });
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(await h1(), 'FAILED');
      await infra.signal(hostReadySignal, ready);
      await waitUntil('h1 back', 30_000, async () => (await h1()) === 'AVAILABLE');
    } finally {
      engine.sweepDelayMs = 0;
    }
  });

  test('a new version that only changes settings (update policy) keeps every member', async () => {
    await clocker.ensureInfrastructure(twoHosts('settings-hosts'));
    const web = (batch: number) => serviceSpec({ id: 'web', image: 'web:1', count: 2, update: { batch } });
    await clocker.deploy(blueprint('settings', [web(1)], 'settings-hosts'));
    assert.equal((await clocker.waitFor('settings', (v) => v.status !== 'DEPLOYING', 30_000)).status, 'RUNNING');
    const created = engine.created.length;
    const answer = await clocker.deploy(blueprint('settings', [web(2)], 'settings-hosts'));
    assert.equal(answer.kind === 'updated' ? answer.plan : '', 'settings: 1 change\n~ web: new settings, members kept (update)');
    const view = await clocker.waitFor('settings', (v) => v.services[0]?.rollout?.request === 1, 30_000);
    assert.equal(view.services[0]?.rollout?.message, 'settings applied, members kept');
    assert.deepEqual(view.services[0]?.members.map((m) => m.member).sort(), ['1', '2']);
    assert.equal(engine.created.length, created, 'no container was created');
    assert.equal((await clocker.destroy('settings', 30_000)).status, 'DESTROYED');
  });

  // Last: every application and service history these tests wrote (continue-as-new runs,
  // cancelled updates, reloads, rollbacks) replays against the bundle without non-determinism.
  test('every application and service history of this file replays deterministically', async () => {
    const { replayed, failures } = await replayEveryHistory(env);
    assert.ok(replayed >= 40, `replayed ${replayed} histories`);
    assert.deepEqual(failures, []);
  });
});