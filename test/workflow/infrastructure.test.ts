// The infrastructure workflow as the scheduler, on a real Temporal server: concurrent
// placements and address allocations never over-commit, IPAM through Updates, validators
// keep malformed requests out of history, and state survives continueAsNew.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { HostRecord } from '../../domain/infra/model';
import { workflowIds } from '../../domain/naming';
import type { infrastructure, InfrastructureInput } from '../../workflows/infrastructure';
import { defineUpdate } from '@temporalio/workflow';
import { isMissingUpdateHandler } from '../../activities/network/memberAddresses';
import {
  allocateAddressesUpdate,
  allocateAddressUpdate,
  allocateSubnetUpdate,
  infraStatusQuery,
  placeContainersUpdate,
  releaseAddressesUpdate,
  releaseContainersUpdate,
  releaseSubnetUpdate,
  type PlaceRequest,
} from '../../workflows/messages';
import { skipUnlessPresent } from '../support/components';
import { historiesToSave, recordHistories } from '../support/historyArchive';
import { startTestEnv, workflowBundle } from '../support/temporalEnv';

const TASK_QUEUE = 'infrastructure-tier';

function host(id: string, fields: Partial<HostRecord> = {}): HostRecord {
  return { id, address: `192.0.2.${id.slice(1)}`, docker: { kind: 'tcp', host: id, port: 2375 }, status: 'AVAILABLE', labels: {}, maxContainers: 10, ...fields };
}

/** Update ids the server accepted into this workflow's history (every run of it). */
async function acceptedUpdateIds(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const id = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
    return id ? [id] : [];
  });
}

async function continuedRuns(client: Client, workflowId: string): Promise<number> {
  let n = 0;
  for await (const wf of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) if (wf.status.name === 'CONTINUED_AS_NEW') n++;
  return n;
}

/** Polls `read` until `done` or the deadline; returns the last value either way. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => assert.fail('the update was accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowUpdateFailedError, `expected WorkflowUpdateFailedError, got ${String(err)}`);
  return err.cause?.message ?? '';
}

describe('infrastructure workflow', { skip: skipUnlessPresent('temporal') }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  const start = async (input: InfrastructureInput) => {
    const handle = await env.client.workflow.start<typeof infrastructure>('infrastructure', {
      taskQueue: TASK_QUEUE,
      workflowId: workflowIds.infrastructure(input.name),
      args: [input],
    });
    return handle;
  };

  before(async () => {
    env = await startTestEnv();
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle() });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running;
    // scripts/record-histories.sh: keep this file's histories (every run, every type) for later releases to replay.
    const saveTo = historiesToSave();
    if (saveTo && env) await recordHistories(env.client, saveTo);
    await env?.teardown();
  });

  test('twenty services placing at once: no host over its limits, no address given twice, refused batches book nothing', async () => {
    // 4 hosts x 4 cpus at 0.5 cpu a member = 32 members; 20 services x 2 members = 40 asked.
    const handle = await start({ name: 'race', hosts: ['h1', 'h2', 'h3', 'h4'].map((id) => host(id, { cpus: 4, maxContainers: 10 })) });
    const subnet = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'race/net', prefixLength: 26 }] });
    const services = Array.from({ length: 20 }, (_, i) => `svc${i}`);
    const results = await Promise.all(
      services.map(async (service) => {
        const placed = await handle.executeUpdate(placeContainersUpdate, {
          args: [{ app: 'race', service, members: ['1', '2'], resources: { cpus: 0.5 }, strategy: ['random'] }],
        });
        const addresses = await Promise.all(
          ['1', '2'].map((m) => handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: `${service}.${m}` }] })),
        );
        return { service, placed, addresses: addresses.map((a) => a.address) };
      }),
    );
    assert.equal(results.filter((r) => r.placed.ok).length, 16);
    for (const r of results.filter((x) => !x.placed.ok)) {
      assert.deepEqual(r.placed, { ok: false, reason: `no host fits member 1 of race/${r.service} (placed 0 of 2): 4 hosts: 4 no room for cpus=0.5` });
    }
    const addresses = results.flatMap((r) => r.addresses);
    assert.equal(new Set(addresses).size, 40, 'no address given twice');

    const status = await handle.query(infraStatusQuery);
    for (const h of status.hosts) {
      assert.ok(h.reserved.cpus <= 4 && h.reserved.containers <= h.capacity.maxContainers, `${h.id} over its limits: ${JSON.stringify(h.reserved)}`);
    }
    assert.equal(status.bookings.length, 32);
    const perService = new Map<string, number>();
    for (const b of status.bookings) perService.set(b.service, (perService.get(b.service) ?? 0) + 1);
    assert.ok([...perService.values()].every((n) => n === 2), 'every service has both members or none');
    assert.equal(status.subnets[0]?.used, 40);
    assert.deepEqual(status.subnets[0]?.addresses.map((a) => a.address).sort(), [...addresses].sort());
    // The random ranker is seeded from update ids: replaying the history makes the same choices.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
  });

  test('a predicate constraint is evaluated inside the workflow sandbox', async () => {
    const handle = await start({ name: 'pred', hosts: [host('h1', { cpus: 4 }), host('h2', { cpus: 16, labels: { disk: 'ssd' } }), host('h3', { cpus: 16 })] });
    const placed = await handle.executeUpdate(placeContainersUpdate, {
      args: [{ app: 'a', service: 'db', members: ['1', '2'], constraints: { predicate: 'cpus >= 8 and labels.disk == "ssd"' } }],
    });
    assert.ok(placed.ok);
    assert.deepEqual(placed.assignments.map((a) => a.host.id), ['h2', 'h2']);
    const none = await handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'a', service: 'big', members: ['1'], constraints: { predicate: 'cpus > 64' } }] });
    assert.deepEqual(none, { ok: false, reason: 'no host fits member 1 of a/big (placed 0 of 1): 3 hosts: 3 fails predicate cpus > 64' });
  });

  test('subnets: carve, reject an overlap before history, release, and reuse the block', async () => {
    const handle = await start({ name: 'nets', hosts: [], pools: [{ id: 'lab', cidr: '10.20.0.0/16', subnetPrefixLength: 24 }] });
    const first = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/front' }] });
    assert.deepEqual(first, { id: '10.20.0.0/24', cidr: '10.20.0.0/24', family: 4, prefixLength: 24, pool: 'lab', owner: 'shop/front', gateway: '10.20.0.1' });
    const again = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/front' }] });
    assert.deepEqual(again, first, 'asking again returns the same subnet');
    const message = await rejection(
      handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/back', cidr: '10.20.0.128/25' }], updateId: 'overlap' }),
    );
    assert.equal(message, 'invalid subnet request: cidr: 10.20.0.128/25 overlaps 10.20.0.0/24 held by shop/front');
    const second = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/back' }] });
    assert.equal(second.cidr, '10.20.1.0/24');
    assert.deepEqual(await handle.executeUpdate(releaseSubnetUpdate, { args: [{ owner: 'shop/front' }] }), { released: first, addresses: 0 });
    const reused = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'blog/net', cidr: '10.20.0.0/24' }] });
    assert.equal(reused.cidr, '10.20.0.0/24');
    assert.deepEqual((await handle.query(infraStatusQuery)).subnets.map((s) => `${s.cidr} ${s.owner}`).sort(), ['10.20.0.0/24 blog/net', '10.20.1.0/24 shop/back']);
    assert.ok(!(await acceptedUpdateIds(handle)).includes('overlap'));
  });

  test('malformed requests are rejected by validators and never enter history', async () => {
    const handle = await start({ name: 'strict', hosts: [host('h1')] });
    const bad: [string, PlaceRequest, RegExp][] = [
      ['no-members', { app: 'a', service: 's', members: [] }, /members must be a non-empty list/],
      ['bad-predicate', { app: 'a', service: 's', members: ['1'], constraints: { predicate: 'cores > 2' } }, /constraints\.predicate: .*cores/],
      ['bad-strategy', { app: 'a', service: 's', members: ['1'], strategy: ['fastest' as never] }, /strategy\[0\]: "fastest" is not a ranker/],
    ];
    for (const [updateId, req, message] of bad) {
      assert.match(await rejection(handle.executeUpdate(placeContainersUpdate, { args: [req], updateId })), message);
    }
    assert.match(
      await rejection(handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: '10.1.0.0/24', owner: 'x' }], updateId: 'no-subnet' })),
      /no subnet "10.1.0.0\/24" is allocated/,
    );
    assert.match(await rejection(handle.executeUpdate(releaseContainersUpdate, { args: [{ app: '', service: 's' }], updateId: 'bad-release' })), /app must be/);
    const good = await handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'a', service: 's', members: ['1'] }], updateId: 'good' });
    assert.ok(good.ok);
    assert.deepEqual(await acceptedUpdateIds(handle), ['good']);
  });

  test('many owners take their addresses in one Update (and give them back in one): a refusal is its owner\'s alone, asking again answers the same, and a worker without the handler is told apart', async () => {
    const handle = await start({ name: 'batch', hosts: [host('h1')] });
    const subnet = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/net', cidr: '10.30.0.0/24' }] });
    const other = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'shop/back', cidr: '10.30.1.0/24' }] });
    const owners = [
      { owner: 'shop/web/1', requests: [{ subnetId: subnet.id }, { subnetId: other.id }] },
      // Outside its subnet: this owner is refused, at its first request; the others are not.
      { owner: 'shop/web/2', requests: [{ subnetId: subnet.id, address: '10.99.0.5' }] },
      { owner: 'shop/web/3', requests: [{ subnetId: subnet.id, address: '10.30.0.40' }] },
      // Refused at its second request: what it got at the first stays held, as one Update per address leaves it.
      { owner: 'shop/web/4', requests: [{ subnetId: subnet.id }, { subnetId: 'nowhere' }] },
    ];
    const answer = await handle.executeUpdate(allocateAddressesUpdate, { args: [{ owners }], updateId: 'batch-1' });
    assert.deepEqual(answer.owners.map((o) => o.owner), owners.map((o) => o.owner));
    const [one, two, three, four] = answer.owners;
    assert.ok(one && 'allocations' in one, JSON.stringify(one));
    assert.deepEqual(one.allocations.map((a) => a.subnetId), [subnet.id, other.id]);
    assert.ok(two && 'refusedAt' in two, JSON.stringify(two));
    assert.equal(two.refusedAt, 0);
    assert.match(two.reason, /10\.99\.0\.5/);
    assert.ok(three && 'allocations' in three, JSON.stringify(three));
    assert.deepEqual(three.allocations, [{ subnetId: subnet.id, address: '10.30.0.40', static: true }]);
    assert.ok(four && 'refusedAt' in four, JSON.stringify(four));
    assert.equal(four.refusedAt, 1);
    const held = (await handle.query(infraStatusQuery)).subnets.find((s) => s.id === subnet.id)!.addresses;
    assert.deepEqual(held.map((h) => h.owner).sort(), ['shop/web/1', 'shop/web/3', 'shop/web/4']);
    assert.notEqual(one.allocations[0]!.address, held.find((h) => h.owner === 'shop/web/4')!.address);

    // A retried activity asks again (another Update id after a continueAsNew): the same addresses.
    const again = await handle.executeUpdate(allocateAddressesUpdate, { args: [{ owners: [owners[0]!] }], updateId: 'batch-2' });
    assert.deepEqual(again.owners[0], one);

    // The shape is checked before history; IPAM's refusals are answers, not rejections.
    assert.match(await rejection(handle.executeUpdate(allocateAddressesUpdate, { args: [{ owners: [owners[0]!, owners[0]!] }], updateId: 'twice' })), /owners must not repeat/);
    assert.match(await rejection(handle.executeUpdate(allocateAddressesUpdate, { args: [{ owners: [] }], updateId: 'none' })), /owners must be a non-empty list/);

    // What a worker of an earlier release answers for an Update it has no handler for: the activity falls back on this.
    const unknown = await handle.executeUpdate(defineUpdate<unknown, [unknown]>('noSuchUpdate'), { args: [{}], updateId: 'unknown' }).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(isMissingUpdateHandler(unknown), String(unknown));
    assert.ok(!isMissingUpdateHandler(await handle.executeUpdate(allocateAddressesUpdate, { args: [{ owners: [] }], updateId: 'none-again' }).catch((e: unknown) => e)));
    // Given back in one Update, in order; an owner holding nothing there answers null.
    const back = await handle.executeUpdate(releaseAddressesUpdate, {
      args: [{ releases: [{ subnetId: subnet.id, owner: 'shop/web/3' }, { subnetId: subnet.id, owner: 'shop/web/2' }, { subnetId: other.id, owner: 'shop/web/1' }] }],
      updateId: 'release-1',
    });
    assert.deepEqual(back.released, ['10.30.0.40', null, one.allocations[1]!.address]);
    const left = (await handle.query(infraStatusQuery)).subnets.flatMap((s) => s.addresses.map((h) => h.owner)).sort();
    assert.deepEqual(left, ['shop/web/1', 'shop/web/4']);
    assert.match(await rejection(handle.executeUpdate(releaseAddressesUpdate, { args: [{ releases: [{ subnetId: subnet.id, owner: '' }] }], updateId: 'no-owner' })), /releases\[0\]\.owner must be/);
    const ids = await acceptedUpdateIds(handle);
    for (const rejected of ['twice', 'none', 'unknown', 'no-owner']) assert.ok(!ids.includes(rejected), `${rejected} not in history`);
  });

  test('state survives continueAsNew, and updates sent across the switch still work', async () => {
    const handle = await start({ name: 'long', hosts: [host('h1'), host('h2')], continueAsNewAfterUpdates: 4 });
    const firstRun = (await handle.describe()).runId;
    const subnet = await handle.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'long/net' }] });
    const placed = await handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'long', service: 'web', members: ['1', '2', '3'] }] });
    assert.ok(placed.ok);
    const a1 = await handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: 'web.1' }] });
    const before = await handle.query(infraStatusQuery);
    // The fourth update ends the run; the ones racing it land on the next run.
    const burst = await Promise.all([
      handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: 'web.2' }] }),
      ...Array.from({ length: 6 }, (_, i) =>
        handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'long', service: `w${i}`, members: ['1'] }] }),
      ),
      handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: 'web.3' }] }),
    ]);
    assert.ok(burst.slice(1, -1).every((r) => 'ok' in r && r.ok), 'every placement in the burst fitted');
    // A second wave right behind the first: it meets the hand-over from run 1 to run 2.
    const wave = await Promise.all(
      Array.from({ length: 8 }, (_, i) => handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'long', service: `v${i}`, members: ['1'] }] })),
    );
    assert.ok(wave.every((r) => r.ok));
    const again = await handle.executeUpdate(placeContainersUpdate, { args: [{ app: 'long', service: 'web', members: ['1', '2', '3'] }] });
    assert.deepEqual(again, placed, 'members placed before the switch keep their hosts');
    const sameAddress = await handle.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: 'web.1' }] });
    assert.deepEqual(sameAddress, a1);

    const after = await handle.query(infraStatusQuery);
    assert.notEqual((await handle.describe()).runId, firstRun, 'the workflow continued as new');
    assert.equal(after.bookings.length, 3 + 6 + 8);
    for (const b of before.bookings) assert.ok(after.bookings.some((x) => JSON.stringify(x) === JSON.stringify(b)), `kept ${JSON.stringify(b)}`);
    assert.deepEqual(after.subnets.map((s) => s.cidr), [subnet.cidr]);
    const held = after.subnets[0]?.addresses.map((a) => `${a.owner}=${a.address}`).sort();
    const given = [a1, burst[0], burst[burst.length - 1]].map((a, i) => `web.${i + 1}=${(a as { address: string }).address}`).sort();
    assert.deepEqual(held, given);
    assert.equal(new Set(held?.map((h) => h.split('=')[1])).size, 3);
    // 21 updates in waves, at most 4 a run once the limit is met: at least two hand-overs (visibility lags a little, so poll).
    const continued = await pollUntil(() => continuedRuns(env.client, handle.workflowId), (n) => n >= 2, 10_000);
    assert.ok(continued >= 2, `${continued} runs continued as new`);
  });
});
