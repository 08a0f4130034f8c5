// Shared networks' books in IPAM: the first application to join gets the subnet carved, the
// others the same one; the subnet goes back only when the last one leaves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIpamState, joinSharedSubnet, type IpamState, leaveSharedSubnet, networkOwner, sharedSubnetOwner } from '../../domain/ipam';

function fresh(): IpamState {
  const made = createIpamState();
  assert.ok(made.ok);
  return made.state;
}

test('joins share one subnet; leaving releases it after the last, once', () => {
  const ipam = fresh();
  const owner = sharedSubnetOwner('common');
  const a = joinSharedSubnet(ipam, { owner, member: 'shop' });
  assert.ok(a.ok);
  const b = joinSharedSubnet(ipam, { owner, member: 'blog' });
  assert.ok(b.ok);
  assert.equal(b.subnet.cidr, a.subnet.cidr);
  assert.deepEqual(b.members, ['blog', 'shop']);
  const again = joinSharedSubnet(ipam, { owner, member: 'shop' });
  assert.ok(again.ok);
  assert.deepEqual(again.members, ['blog', 'shop'], 'joining again is idempotent');
  assert.deepEqual(leaveSharedSubnet(ipam, owner, 'shop'), { members: ['blog'] });
  assert.deepEqual(leaveSharedSubnet(ipam, owner, 'shop'), { members: ['blog'] }, 'leaving again changes nothing');
  const last = leaveSharedSubnet(ipam, owner, 'blog');
  assert.equal(last.released?.cidr, a.subnet.cidr);
  assert.deepEqual(ipam.subnets, {});
  assert.deepEqual(leaveSharedSubnet(ipam, owner, 'blog'), { members: [] }, 'a subnet already gone: nothing to release');
});

test('a second application naming another CIDR for the same shared network is refused; the books are unchanged', () => {
  const ipam = fresh();
  const owner = sharedSubnetOwner('common');
  assert.ok(joinSharedSubnet(ipam, { owner, member: 'shop', cidr: '10.128.7.0/24' }).ok);
  const refused = joinSharedSubnet(ipam, { owner, member: 'blog', cidr: '10.128.8.0/24' });
  assert.equal(refused.ok, false);
  assert.deepEqual(Object.values(ipam.subnets).map((s) => s.members), [['shop']]);
});

test('a shared network is the infrastructure\'s on the hosts; any other is the application\'s', () => {
  assert.equal(networkOwner('shop', { shared: true }), 'clocker-shared');
  assert.equal(networkOwner('shop', { shared: false }), 'shop');
});
