// Member addresses: reserved ones skipped, static ones honoured, idempotent per owner,
// release then reuse, IPv6, and verbatim messages for every refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateAddress, allocateSubnet, createIpamState, formatIpamIssues, ipamUsage, releaseAddress, releaseSubnet, validateAddressRequest } from '../../../domain/ipam';
import type { AddressRequest, IpamState, SubnetRequest } from '../../../domain/ipam';

function withSubnet(request: SubnetRequest = { owner: 'net', cidr: '10.128.0.0/29' }): { state: IpamState; id: string } {
  const created = createIpamState();
  assert.ok(created.ok);
  const subnet = allocateSubnet(created.state, request);
  assert.ok(subnet.ok);
  return { state: created.state, id: subnet.subnet.id };
}

function take(state: IpamState, id: string, request: AddressRequest): string {
  const result = allocateAddress(state, id, request);
  assert.ok(result.ok, result.ok ? '' : formatIpamIssues(result.issues));
  return result.address;
}

test('a /29 hands out its five member addresses, skipping network, gateway and broadcast', () => {
  const { state, id } = withSubnet();
  const got = ['a', 'b', 'c', 'd', 'e'].map((owner) => take(state, id, { owner }));
  assert.deepEqual(got, ['10.128.0.2', '10.128.0.3', '10.128.0.4', '10.128.0.5', '10.128.0.6']);
  const full = allocateAddress(state, id, { owner: 'f' });
  assert.deepEqual(full, { ok: false, issues: [{ code: 'ipam.subnetExhausted', path: '', message: 'subnet 10.128.0.0/29 has no free address (5 in use)' }] });
});

test('asking again for the same owner returns its address (idempotent)', () => {
  const { state, id } = withSubnet();
  assert.deepEqual(allocateAddress(state, id, { owner: 'a' }), { ok: true, address: '10.128.0.2', static: false });
  assert.deepEqual(allocateAddress(state, id, { owner: 'a' }), { ok: true, address: '10.128.0.2', static: false });
  assert.deepEqual(allocateAddress(state, id, { owner: 'a', address: '10.128.0.2' }), { ok: true, address: '10.128.0.2', static: false });
});

test('static addresses are honoured, and the cursor steps over them', () => {
  const { state, id } = withSubnet();
  assert.deepEqual(allocateAddress(state, id, { owner: 'db', address: '10.128.0.3' }), { ok: true, address: '10.128.0.3', static: true });
  assert.equal(take(state, id, { owner: 'a' }), '10.128.0.2');
  assert.equal(take(state, id, { owner: 'b' }), '10.128.0.4');
});

test('released addresses are reused once the never-used ones run out', () => {
  const { state, id } = withSubnet();
  for (const owner of ['a', 'b', 'c']) take(state, id, { owner });
  assert.deepEqual(releaseAddress(state, id, 'b'), { released: '10.128.0.3' });
  assert.deepEqual(releaseAddress(state, id, 'b'), { released: undefined }, 'releasing twice is fine');
  assert.equal(take(state, id, { owner: 'd' }), '10.128.0.5');
  assert.equal(take(state, id, { owner: 'e' }), '10.128.0.6');
  assert.equal(take(state, id, { owner: 'f' }), '10.128.0.3', 'now the released one');
});

test('a released static address ahead of the cursor is reached by the cursor, not listed twice', () => {
  const { state, id } = withSubnet();
  take(state, id, { owner: 's', address: '10.128.0.6' });
  releaseAddress(state, id, 's');
  assert.deepEqual(state.subnets[id]!.free, []);
  const got = ['a', 'b', 'c', 'd', 'e'].map((owner) => take(state, id, { owner }));
  assert.deepEqual(got, ['10.128.0.2', '10.128.0.3', '10.128.0.4', '10.128.0.5', '10.128.0.6']);
});

test('a released address taken statically is not handed out again from the free list', () => {
  const { state, id } = withSubnet();
  for (const owner of ['a', 'b', 'c', 'd', 'e']) take(state, id, { owner });
  releaseAddress(state, id, 'b');
  take(state, id, { owner: 's', address: '10.128.0.3' });
  assert.equal(allocateAddress(state, id, { owner: 'x' }).ok, false);
});

test('IPv6: addresses count up from ::2, statics in compressed form', () => {
  const { state, id } = withSubnet({ owner: 'net6', family: 6 });
  assert.equal(id, 'fd7c:10c6:4e00::/64');
  assert.equal(take(state, id, { owner: 'a' }), 'fd7c:10c6:4e00::2');
  assert.deepEqual(allocateAddress(state, id, { owner: 'b', address: 'FD7C:10C6:4E00:0:0:0:0:3' }), { ok: true, address: 'fd7c:10c6:4e00::3', static: true });
  assert.equal(take(state, id, { owner: 'c' }), 'fd7c:10c6:4e00::4');
  assert.equal(take(state, id, { owner: 'd', address: 'fd7c:10c6:4e00:0:ffff:ffff:ffff:ffff' }), 'fd7c:10c6:4e00:0:ffff:ffff:ffff:ffff', 'IPv6 has no broadcast');
  releaseAddress(state, id, 'd');
  assert.deepEqual(ipamUsage(state), [{ id, owner: 'net6', pool: 'ipv6-default', gateway: 'fd7c:10c6:4e00::1', used: 3, capacity: '18446744073709551614' }]);
});

test('IPv6 /126: two member addresses', () => {
  const { state, id } = withSubnet({ owner: 'n', cidr: 'fd7c:10c6:4e00::/126' });
  assert.deepEqual(['a', 'b'].map((owner) => take(state, id, { owner })), ['fd7c:10c6:4e00::2', 'fd7c:10c6:4e00::3']);
  assert.equal(allocateAddress(state, id, { owner: 'c' }).ok, false);
});

test('addresses go with their subnet', () => {
  const { state, id } = withSubnet();
  take(state, id, { owner: 'a' });
  assert.equal(releaseSubnet(state, id).addresses, 1);
  assert.deepEqual(releaseAddress(state, id, 'a'), { released: undefined });
});

const refusals: { name: string; subnet?: string; setup?: AddressRequest[]; request: unknown; expect: string }[] = [
  { name: 'unknown subnet', subnet: '10.9.9.0/24', request: { owner: 'a' }, expect: 'subnet: no subnet "10.9.9.0/24" is allocated' },
  { name: 'not an object', request: null, expect: 'an address request must be an object, got null' },
  { name: 'bad fields', request: { owner: '', address: 7, static: true }, expect: 'static: is not a known field (known: owner, address)\nowner: must be an id (letters, digits and _ . : / @ -, starting with a letter or digit), got ""\naddress: must be an address string, got 7' },
  { name: 'not an address', request: { owner: 'a', address: '10.128.0' }, expect: 'address: "10.128.0" is not an IP address' },
  { name: 'outside the subnet', request: { owner: 'a', address: '10.128.0.8' }, expect: 'address: 10.128.0.8 is not in subnet 10.128.0.0/29' },
  { name: 'other family', request: { owner: 'a', address: '::2' }, expect: 'address: ::2 is not in subnet 10.128.0.0/29' },
  { name: 'network address', request: { owner: 'a', address: '10.128.0.0' }, expect: 'address: 10.128.0.0 is the network address of 10.128.0.0/29' },
  { name: 'gateway', request: { owner: 'a', address: '10.128.0.1' }, expect: 'address: 10.128.0.1 is the gateway of 10.128.0.0/29' },
  { name: 'broadcast', request: { owner: 'a', address: '10.128.0.7' }, expect: 'address: 10.128.0.7 is the broadcast address of 10.128.0.0/29' },
  { name: 'held by another', setup: [{ owner: 'web-2', address: '10.128.0.5' }], request: { owner: 'a', address: '10.128.0.5' }, expect: 'address: 10.128.0.5 is held by web-2' },
  { name: 'owner already holds another', setup: [{ owner: 'a' }], request: { owner: 'a', address: '10.128.0.5' }, expect: 'address: a already holds 10.128.0.2 in 10.128.0.0/29; release it first' },
];

for (const t of refusals) {
  test(`refused: ${t.name}`, () => {
    const { state, id } = withSubnet();
    for (const r of t.setup ?? []) take(state, id, r);
    const before = JSON.stringify(state);
    assert.equal(formatIpamIssues(validateAddressRequest(state, t.subnet ?? id, t.request)), t.expect);
    assert.equal(allocateAddress(state, t.subnet ?? id, t.request as AddressRequest).ok, false);
    assert.equal(JSON.stringify(state), before, 'a refusal leaves the state as it was');
  });
}

test('owners named like prototype properties are ordinary owners', () => {
  const { state, id } = withSubnet();
  assert.equal(take(state, id, { owner: 'constructor' }), '10.128.0.2');
  assert.equal(take(state, id, { owner: 'toString' }), '10.128.0.3');
  assert.deepEqual(releaseAddress(state, id, 'hasOwnProperty'), { released: undefined });
});
