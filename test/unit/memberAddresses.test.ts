// allocateMembersAddresses and releaseMemberAddresses against a fake infrastructure handle: one Update per 250 members,
// answers mapped back to network ids, a refusal kept to its member, and the fall-back to one
// Update per member and network when the infrastructure's worker has no allocateAddresses handler
// (a release before it). The real workflow's side: test/workflow/infrastructure.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { memberAddressActivities, releaseMemberAddresses, type MemberAddressAnswer, type MembersAddressRequest } from '../../activities/network/memberAddresses';
import { InfrastructureNotFoundError, SubnetRejectedError } from '../../activities/errors';
import type { AllocateAddressesRequest, AllocateAddressRequest, InfraView, OwnerAddresses, ReleaseAddressesRequest } from '../../workflows/messages';

interface Sent {
  name: string;
  arg: unknown;
  updateId: string | undefined;
}

/** A client whose infrastructure answers Updates with `answer` (or throws what it throws), recording each. */
function fakeInfra(answer: (name: string, arg: unknown) => unknown, view?: Pick<InfraView, 'subnets'>): { client: Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const handle = {
    async query() {
      return view;
    },
    async executeUpdate(def: { name: string }, options: { args: [unknown]; updateId?: string }) {
      sent.push({ name: def.name, arg: options.args[0], updateId: options.updateId });
      return answer(def.name, options.args[0]);
    },
  };
  return { client: { workflow: { getHandle: () => handle } } as unknown as Client, sent };
}

const missingHandler = () => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.nonRetryable('No registered handler for update: allocateAddresses'));

/** IPAM as the workflow would answer: 10.0.<subnet index>.<n> per owner, in order. */
function ipamLike() {
  const given = new Map<string, string>();
  const addressOf = (subnetId: string, owner: string) => {
    const key = `${subnetId} ${owner}`;
    if (!given.has(key)) given.set(key, `${subnetId.replace(/\.0\/24$/, '')}.${given.size + 2}`);
    return given.get(key)!;
  };
  return { addressOf, given };
}

function request(members: number, networks = [{ id: 'default', subnetId: '10.1.0.0/24' }]): MembersAddressRequest {
  return { infrastructure: 'lab', app: 'shop', service: 'web', members: Array.from({ length: members }, (_, i) => ({ member: String(i + 1), networks })) };
}

const run = (client: Client, req: MembersAddressRequest): Promise<Record<string, MemberAddressAnswer>> =>
  new MockActivityEnvironment({ activityId: '7' }).run(memberAddressActivities(client).allocateMembersAddresses, req);

describe('allocateMembersAddresses', () => {
  test('one Update for a placement: each member gets its address on each network, by network id', async () => {
    const ipam = ipamLike();
    const { client, sent } = fakeInfra((_name, arg) => ({
      owners: (arg as AllocateAddressesRequest).owners.map((o): OwnerAddresses => ({ owner: o.owner, allocations: o.requests.map((r) => ({ subnetId: r.subnetId, address: ipam.addressOf(r.subnetId, o.owner), static: false })) })),
    }));
    const answers = await run(client, request(3, [{ id: 'front', subnetId: '10.1.0.0/24' }, { id: 'back', subnetId: '10.2.0.0/24' }]));
    assert.deepEqual(sent.map((s) => s.name), ['allocateAddresses']);
    assert.match(sent[0]!.updateId ?? '', /\/7\/batch\/0$/);
    assert.deepEqual(answers['2'], { addresses: { front: ipam.addressOf('10.1.0.0/24', 'shop/web/2'), back: ipam.addressOf('10.2.0.0/24', 'shop/web/2') } });
    assert.equal(new Set(Object.values(answers).map((a) => ('addresses' in a ? a.addresses.front : ''))).size, 3);
  });

  test('hundreds of members go in Updates of 250 at most', async () => {
    const { client, sent } = fakeInfra((_name, arg) => ({ owners: (arg as AllocateAddressesRequest).owners.map((o): OwnerAddresses => ({ owner: o.owner, allocations: [{ subnetId: '10.1.0.0/24', address: '10.1.0.9', static: false }] })) }));
    const answers = await run(client, request(600));
    assert.deepEqual(sent.map((s) => (s.arg as AllocateAddressesRequest).owners.length), [250, 250, 100]);
    assert.deepEqual(sent.map((s) => s.updateId?.split('/').at(-1)), ['0', '250', '500']);
    assert.equal(Object.keys(answers).length, 600);
  });

  test('a refusal is its member\'s, named with the network it was refused on', async () => {
    const { client } = fakeInfra((_name, arg) => ({
      owners: (arg as AllocateAddressesRequest).owners.map((o): OwnerAddresses =>
        o.owner === 'shop/web/2' ? { owner: o.owner, refusedAt: 1, reason: 'subnet 10.2.0.0/24 has no free address (254 in use)' } : { owner: o.owner, allocations: o.requests.map((r) => ({ subnetId: r.subnetId, address: '10.9.9.9', static: false })) },
      ),
    }));
    const answers = await run(client, request(3, [{ id: 'front', subnetId: '10.1.0.0/24' }, { id: 'back', subnetId: '10.2.0.0/24' }]));
    const refused = answers['2'];
    assert.ok(refused && 'refused' in refused, JSON.stringify(refused));
    assert.equal(refused.refused, 'no subnet for shop/web/2 on back on infrastructure "lab": address refused: subnet 10.2.0.0/24 has no free address (254 in use)');
    assert.ok('addresses' in answers['1']! && 'addresses' in answers['3']!);
  });

  test('an infrastructure worker without the handler: one Update per member and network, the same answers', async () => {
    const ipam = ipamLike();
    const { client, sent } = fakeInfra((name, arg) => {
      if (name === 'allocateAddresses') throw missingHandler();
      const req = arg as AllocateAddressRequest;
      if (req.owner === 'shop/web/3') throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.nonRetryable('address refused: 10.1.0.0/24 is full'));
      return { subnetId: req.subnetId, address: ipam.addressOf(req.subnetId, req.owner), static: false };
    });
    const answers = await run(client, request(4));
    assert.equal(sent.filter((s) => s.name === 'allocateAddresses').length, 1);
    assert.equal(sent.filter((s) => s.name === 'allocateAddress').length, 4);
    assert.deepEqual(answers['1'], { addresses: { default: ipam.addressOf('10.1.0.0/24', 'shop/web/1') } });
    assert.ok('refused' in answers['3']! && /is full/.test(answers['3'].refused));
  });

  test('the infrastructure gone, or a rejected shape, fails the whole call without retries', async () => {
    const gone = fakeInfra(() => {
      throw new WorkflowNotFoundError('not found', 'infrastructure-lab', undefined);
    });
    await assert.rejects(run(gone.client, request(2)), InfrastructureNotFoundError);
    const rejected = fakeInfra(() => {
      throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.nonRetryable('owners must not repeat'));
    });
    await assert.rejects(run(rejected.client, request(2)), (err: unknown) => err instanceof SubnetRejectedError && /owners must not repeat/.test(err.message) && !err.retryable);
  });
});

describe('releaseMemberAddresses', () => {
  const held = (owners: string[]): Pick<InfraView, 'subnets'> =>
    ({ subnets: [{ id: '10.1.0.0/24', addresses: owners.map((owner, i) => ({ owner, address: `10.1.0.${i + 2}`, static: false })) }] }) as unknown as Pick<InfraView, 'subnets'>;

  test('what the named members hold goes back in one Update; other services\' addresses stay', async () => {
    const { client, sent } = fakeInfra((_name, arg) => ({ released: (arg as ReleaseAddressesRequest).releases.map(() => 'x') }), held(['shop/web/1', 'shop/web/2', 'shop/api/1', 'shop/web/3']));
    const released = await releaseMemberAddresses(client, { infrastructure: 'lab', app: 'shop', service: 'web', members: ['1', '3'] });
    assert.deepEqual(released, ['10.1.0.2', '10.1.0.5']);
    assert.deepEqual(sent.map((s) => [s.name, (s.arg as ReleaseAddressesRequest).releases.map((r) => r.owner)]), [['releaseAddresses', ['shop/web/1', 'shop/web/3']]]);
    const all = fakeInfra((_name, arg) => ({ released: (arg as ReleaseAddressesRequest).releases.map(() => 'x') }), held(['shop/web/1', 'shop/web/2', 'shop/api/1']));
    assert.deepEqual(await releaseMemberAddresses(all.client, { infrastructure: 'lab', app: 'shop', service: 'web' }), ['10.1.0.2', '10.1.0.3']);
  });

  test('nothing held: no Update; a worker without the handler: one Update per address', async () => {
    const none = fakeInfra(() => assert.fail('no Update expected'), held(['shop/api/1']));
    assert.deepEqual(await releaseMemberAddresses(none.client, { infrastructure: 'lab', app: 'shop', service: 'web' }), []);
    const old = fakeInfra((name) => {
      if (name === 'releaseAddresses') throw missingHandler();
      return { released: 'x' };
    }, held(['shop/web/1', 'shop/web/2']));
    assert.deepEqual(await releaseMemberAddresses(old.client, { infrastructure: 'lab', app: 'shop', service: 'web' }), ['10.1.0.2', '10.1.0.3']);
    assert.deepEqual(old.sent.map((s) => s.name), ['releaseAddresses', 'releaseAddress', 'releaseAddress']);
  });
});
