// Subnets the hosts' engines already hold (Docker's bridge, docker_gwbridge, other tools' and
// other installations' networks) are never handed out: the IPAM skips them when it carves and
// refuses a named CIDR that overlaps one, naming the holder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allocateSubnet, createIpamState, validateSubnetRequest, type IpamState } from '../../../domain/ipam';
import { formatCidr, overlaps, parseCidr, type Cidr } from '../../../domain/ipam/addressMath';

const cidr = (text: string) => parseCidr(text) as Cidr;
function fresh(pool = '10.0.0.0/22'): IpamState {
  const created = createIpamState([{ id: 'p', cidr: pool, subnetPrefixLength: 24 }]);
  assert.ok(created.ok);
  return created.state;
}

test('a carved subnet skips the subnets in use on the hosts', () => {
  const state = fresh();
  const inUse = [{ cidr: '10.0.0.0/24', by: 'network other on local' }, { cidr: '10.0.1.128/25', by: 'network foreign on local' }];
  const result = allocateSubnet(state, { owner: 'app/default', inUse });
  assert.ok(result.ok);
  assert.equal(result.subnet.cidr, '10.0.2.0/24');
  // Without the list (a request from before it existed) the first block is taken as before.
  const old = allocateSubnet(fresh(), { owner: 'app/default' });
  assert.ok(old.ok);
  assert.equal(old.subnet.cidr, '10.0.0.0/24');
});

test("subnets outside the pool or of the other family change nothing (Docker's 172.17/16)", () => {
  const result = allocateSubnet(fresh(), { owner: 'a/n', inUse: [{ cidr: '172.17.0.0/16', by: 'network bridge on local' }, { cidr: 'fd00::/64', by: 'v6' }] });
  assert.ok(result.ok);
  assert.equal(result.subnet.cidr, '10.0.0.0/24');
});

test('a named CIDR overlapping a subnet in use is refused, naming the holder', () => {
  const issues = validateSubnetRequest(fresh(), { owner: 'a/n', cidr: '10.0.1.0/24', inUse: [{ cidr: '10.0.0.0/23', by: 'network lab on h1' }] });
  assert.deepEqual(issues, [{ code: 'ipam.overlap', path: 'cidr', message: '10.0.1.0/24 overlaps 10.0.0.0/23, in use by network lab on h1' }]);
});

test('a pool whose every block is in use says so', () => {
  const issues = validateSubnetRequest(fresh(), { owner: 'a/n', inUse: [{ cidr: '10.0.0.0/22', by: 'x' }] });
  assert.deepEqual(issues, [{ code: 'ipam.poolExhausted', path: '', message: 'pool p (10.0.0.0/22) has no free /24 left (0 subnets held, 1 in use on the hosts: 10.0.0.0/22 by x)' }]);
});

test('an engine subnet written with host bits holds its whole block', () => {
  const result = allocateSubnet(fresh(), { owner: 'a/n', inUse: [{ cidr: '10.0.0.7/23', by: 'x' }] });
  assert.ok(result.ok);
  assert.equal(result.subnet.cidr, '10.0.2.0/24');
});

test('a malformed list is refused with its position', () => {
  const issues = validateSubnetRequest(fresh(), { owner: 'a/n', inUse: [{ cidr: '10.0.0.0/24', by: 'x' }, { cidr: 'nope', by: 'y' }] });
  assert.deepEqual(issues.map((i) => [i.code, i.path]), [['ipam.inUse', 'inUse[1]']]);
  assert.deepEqual(validateSubnetRequest(fresh(), { owner: 'a/n', inUse: '10.0.0.0/24' }).map((i) => i.path), ['inUse']);
});

test('an owner asking again gets its subnet, whatever is in use now (a retried allocation)', () => {
  const state = fresh();
  const first = allocateSubnet(state, { owner: 'a/n' });
  assert.ok(first.ok);
  const again = allocateSubnet(state, { owner: 'a/n', inUse: [{ cidr: first.subnet.cidr, by: 'network a.n on local' }] });
  assert.ok(again.ok);
  assert.equal(again.subnet.cidr, first.subnet.cidr);
});

test('property: a carved subnet never overlaps a subnet in use, nor one held', () => {
  const block = fc.record({ third: fc.integer({ min: 0, max: 3 }), fourth: fc.integer({ min: 0, max: 255 }), prefixLength: fc.integer({ min: 22, max: 28 }) });
  fc.assert(
    fc.property(fc.array(fc.array(block, { maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rounds) => {
      const state = fresh();
      rounds.forEach((blocks, i) => {
        const inUse = blocks.map((b) => ({ cidr: `10.0.${b.third}.${b.fourth}/${b.prefixLength}`, by: `n${i}` }));
        const result = allocateSubnet(state, { owner: `o${i}`, inUse });
        // Host bits (10.0.0.1/22) mean the whole block, as the engine means it.
        const parsed = inUse.map((u) => {
          const [address, prefix] = u.cidr.split('/');
          const size = 2 ** (32 - Number(prefix));
          const value = Number(address!.split('.')[2]) * 256 + Number(address!.split('.')[3]);
          const base = value - (value % size);
          return cidr(`10.0.${Math.floor(base / 256)}.${base % 256}/${prefix}`);
        });
        if (!result.ok) {
          assert.equal(result.issues[0]?.code, 'ipam.poolExhausted');
          return;
        }
        const got = cidr(result.subnet.cidr);
        for (const u of parsed) assert.ok(!overlaps(got, u), `${result.subnet.cidr} overlaps ${formatCidr(u)}`);
        for (const s of Object.values(state.subnets)) if (s.owner !== `o${i}`) assert.ok(!overlaps(got, cidr(s.cidr)));
      });
    }),
    { numRuns: 300 },
  );
});
