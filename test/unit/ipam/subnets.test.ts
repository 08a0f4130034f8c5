// Subnets: carving from pools, named CIDRs checked for overlap, idempotent per owner,
// release then reuse, IPv6, and verbatim messages for every refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateSubnet, createIpamState, findSubnetByOwner, formatIpamIssues, releaseSubnet, resolvePools, validateSubnetRequest } from '../../../domain/ipam';
import type { IpamState, PoolConfig, SubnetRequest } from '../../../domain/ipam';

function fresh(pools?: PoolConfig[]): IpamState {
  const created = createIpamState(pools);
  assert.ok(created.ok);
  return created.state;
}

function cidrOf(state: IpamState, request: SubnetRequest): string {
  const result = allocateSubnet(state, request);
  assert.ok(result.ok, result.ok ? '' : formatIpamIssues(result.issues));
  return result.subnet.cidr;
}

test('the default pools: 10.128.0.0/9 in /24s and a ULA /48 in /64s', () => {
  assert.deepEqual(fresh().pools, [
    { id: 'ipv4-default', cidr: '10.128.0.0/9', family: 4, subnetPrefixLength: 24 },
    { id: 'ipv6-default', cidr: 'fd7c:10c6:4e00::/48', family: 6, subnetPrefixLength: 64 },
  ]);
});

test('subnets are carved first-fit, aligned to their size, with the first address as gateway', () => {
  const state = fresh();
  const first = allocateSubnet(state, { owner: 'shop/net' });
  assert.deepEqual(first, { ok: true, subnet: { id: '10.128.0.0/24', cidr: '10.128.0.0/24', family: 4, prefixLength: 24, pool: 'ipv4-default', owner: 'shop/net', gateway: '10.128.0.1' } });
  assert.equal(cidrOf(state, { owner: 'blog/net', prefixLength: 23 }), '10.128.2.0/23', 'a /23 skips the half-used first /23');
  assert.equal(cidrOf(state, { owner: 'wiki/net' }), '10.128.1.0/24', 'the gap left behind is used');
  assert.equal(cidrOf(state, { owner: 'big/net', prefixLength: 16 }), '10.129.0.0/16');
  assert.equal(cidrOf(state, { owner: 'tiny/net', prefixLength: 30 }), '10.128.4.0/30');
});

test('IPv6 subnets come from the IPv6 pool', () => {
  const state = fresh();
  assert.equal(cidrOf(state, { owner: 'a', family: 6 }), 'fd7c:10c6:4e00::/64');
  assert.equal(cidrOf(state, { owner: 'b', family: 6 }), 'fd7c:10c6:4e00:1::/64');
  assert.equal(cidrOf(state, { owner: 'c', pool: 'ipv6-default', prefixLength: 56 }), 'fd7c:10c6:4e00:100::/56');
  assert.equal(findSubnetByOwner(state, 'a')?.gateway, 'fd7c:10c6:4e00::1');
  assert.equal(cidrOf(state, { owner: 'd', cidr: 'fd7c:10c6:4e00:ff::/64' }), 'fd7c:10c6:4e00:ff::/64');
});

test('asking again for the same owner returns its subnet (idempotent)', () => {
  const state = fresh();
  const first = allocateSubnet(state, { owner: 'shop/net' });
  assert.deepEqual(allocateSubnet(state, { owner: 'shop/net' }), first);
  assert.deepEqual(allocateSubnet(state, { owner: 'shop/net', cidr: '10.128.0.0/24' }), first);
  assert.equal(Object.keys(state.subnets).length, 1);
});

test('a named CIDR inside a pool, or outside every pool, is taken as named', () => {
  const state = fresh();
  assert.equal(cidrOf(state, { owner: 'a', cidr: '10.128.5.0/24' }), '10.128.5.0/24');
  const outside = allocateSubnet(state, { owner: 'b', cidr: '192.168.50.0/24' });
  assert.ok(outside.ok);
  assert.equal(outside.subnet.pool, null);
  assert.equal(cidrOf(state, { owner: 'c' }), '10.128.0.0/24', 'carving still starts at the bottom');
});

test('release frees the block for the next request', () => {
  const state = fresh();
  cidrOf(state, { owner: 'a' });
  cidrOf(state, { owner: 'b' });
  assert.deepEqual(releaseSubnet(state, '10.128.0.0/24'), { released: { id: '10.128.0.0/24', cidr: '10.128.0.0/24', family: 4, prefixLength: 24, pool: 'ipv4-default', owner: 'a', gateway: '10.128.0.1' }, addresses: 0 });
  assert.deepEqual(releaseSubnet(state, '10.128.0.0/24'), { released: undefined, addresses: 0 }, 'releasing twice is fine');
  assert.equal(cidrOf(state, { owner: 'c' }), '10.128.0.0/24');
});

const refusals: { name: string; setup?: SubnetRequest[]; request: unknown; pools?: PoolConfig[]; expect: string }[] = [
  { name: 'not an object', request: 'net', expect: 'a subnet request must be an object, got "net"' },
  { name: 'bad owner and fields', request: { owner: '__proto__', prefix: 24, family: 5, pool: 3, prefixLength: 'x' }, expect: 'prefix: is not a known field (known: owner, prefixLength, cidr, family, pool, inUse)\nowner: must be an id (letters, digits and _ . : / @ -, starting with a letter or digit), got "__proto__"\nprefixLength: must be a whole number, got "x"\nfamily: must be 4 or 6, got 5\npool: must be a pool id, got 3' },
  { name: 'not a CIDR', request: { owner: 'a', cidr: '10.1/8' }, expect: 'cidr: "10.1/8" is not a CIDR (e.g. 10.128.0.0/24 or fd00::/64)' },
  { name: 'host bits set', request: { owner: 'a', cidr: '10.128.0.5/24' }, expect: 'cidr: 10.128.0.5/24 is not a network address (did you mean 10.128.0.0/24?)' },
  { name: 'prefix too long', request: { owner: 'a', cidr: '10.0.0.0/33' }, expect: 'cidr: 10.0.0.0/33 has a prefix longer than 32 bits' },
  { name: 'overlaps a held subnet', setup: [{ owner: 'front', prefixLength: 23 }], request: { owner: 'a', cidr: '10.128.1.0/24' }, expect: 'cidr: 10.128.1.0/24 overlaps 10.128.0.0/23 held by front' },
  { name: 'straddles a pool', request: { owner: 'a', cidr: '10.0.0.0/8' }, expect: 'cidr: 10.0.0.0/8 overlaps pool ipv4-default (10.128.0.0/9) without fitting inside it' },
  { name: 'named CIDR disagrees with the request', request: { owner: 'a', cidr: '10.128.0.0/24', family: 6, prefixLength: 25 }, expect: 'family: is 6 but 10.128.0.0/24 is IPv4\nprefixLength: is 25 but 10.128.0.0/24 is a /24' },
  { name: 'named CIDR too small', request: { owner: 'a', cidr: '10.128.0.0/31' }, expect: 'cidr: 10.128.0.0/31 is too small: IPv4 subnets go down to /30' },
  { name: 'named CIDR outside the named pool', request: { owner: 'a', cidr: '192.168.0.0/24', pool: 'ipv4-default' }, expect: 'cidr: 192.168.0.0/24 is not inside pool ipv4-default' },
  { name: 'unknown pool', request: { owner: 'a', pool: 'eu' }, expect: 'pool: no pool "eu" (pools: ipv4-default, ipv6-default)' },
  { name: 'no pool of the family', pools: [{ cidr: '10.0.0.0/16' }], request: { owner: 'a', family: 6 }, expect: 'family: no IPv6 pool is configured (pools: 10.0.0.0/16)' },
  { name: 'prefix bigger than the pool', pools: [{ cidr: '10.0.0.0/16' }], request: { owner: 'a', prefixLength: 15 }, expect: 'prefixLength: must be from 16 to 30 for pool 10.0.0.0/16 (10.0.0.0/16), got 15' },
  { name: 'pool exhausted', pools: [{ id: 'small', cidr: '10.0.0.0/23' }], setup: [{ owner: 'x' }, { owner: 'y' }], request: { owner: 'a' }, expect: 'pool small (10.0.0.0/23) has no free /24 left (2 subnets held)' },
  { name: 'owner already holds another subnet', setup: [{ owner: 'a' }], request: { owner: 'a', cidr: '10.128.9.0/24' }, expect: 'a already holds subnet 10.128.0.0/24; release it before asking for another' },
];

for (const t of refusals) {
  test(`refused: ${t.name}`, () => {
    const state = fresh(t.pools);
    for (const r of t.setup ?? []) cidrOf(state, r);
    const before = JSON.stringify(state);
    assert.equal(formatIpamIssues(validateSubnetRequest(state, t.request)), t.expect);
    const result = allocateSubnet(state, t.request as SubnetRequest);
    assert.equal(result.ok, false);
    assert.equal(JSON.stringify(state), before, 'a refusal leaves the state as it was');
  });
}

test('pool configuration is checked', () => {
  const result = resolvePools([{ cidr: '10.0.0.0/8' }, { cidr: '10.1.0.0/16' }, { id: 'x', cidr: 'fd00::/8', subnetPrefixLength: 127 }, { cidr: 'nope' }, { id: 'x', cidr: '192.168.0.0/16' }]);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(
    formatIpamIssues(result.issues),
    'pools[1].cidr: 10.1.0.0/16 overlaps pool 10.0.0.0/8 (10.0.0.0/8)\npools[2].subnetPrefixLength: must be a whole number from 8 to 126, got 127\npools[3].cidr: "nope" is not a CIDR (e.g. 10.128.0.0/24 or fd00::/64)',
  );
  const empty = resolvePools([]);
  assert.equal(empty.ok ? '' : formatIpamIssues(empty.issues), 'pools: must be a non-empty list of pools, got []');
});

test('a small pool defaults to subnets of its own size', () => {
  assert.equal(fresh([{ cidr: '10.0.0.0/26' }]).pools[0]!.subnetPrefixLength, 26);
});

test('state is plain JSON: it survives a round trip and keeps working', () => {
  const state = fresh();
  cidrOf(state, { owner: 'a' });
  const copy = JSON.parse(JSON.stringify(state)) as IpamState;
  assert.deepEqual(copy, state);
  assert.equal(cidrOf(copy, { owner: 'b' }), '10.128.1.0/24');
});
