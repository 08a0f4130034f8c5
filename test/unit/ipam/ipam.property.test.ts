// Safety rules for any sequence of requests (fast-check generates them): subnets never
// overlap, an address is never held twice, a dynamic request fails only when the subnet is
// full, released addresses come back, and a JSON round trip (continueAsNew) changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocateAddress, allocateSubnet, createIpamState, releaseAddress, releaseSubnet } from '../../../domain/ipam';
import type { IpamState } from '../../../domain/ipam';
import { lastOf, overlaps, parseCidr } from '../../../domain/ipam/addressMath';
import type { Cidr } from '../../../domain/ipam/addressMath';

const cidr = (text: string) => parseCidr(text) as Cidr;
const roundTrip = (state: IpamState) => JSON.parse(JSON.stringify(state)) as IpamState;

const subnetOp = fc.oneof(
  fc.record({ kind: fc.constant('carve' as const), owner: fc.integer({ min: 0, max: 12 }), prefixLength: fc.integer({ min: 22, max: 26 }) }),
  fc.record({ kind: fc.constant('named' as const), owner: fc.integer({ min: 0, max: 12 }), third: fc.integer({ min: 0, max: 7 }), prefixLength: fc.integer({ min: 21, max: 25 }) }),
  fc.record({ kind: fc.constant('release' as const), owner: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('roundTrip' as const) }),
);

test('property: subnets never overlap each other or straddle a pool, whatever the sequence', () => {
  fc.assert(
    fc.property(fc.array(subnetOp, { maxLength: 40 }), (ops) => {
      const created = createIpamState([{ id: 'p', cidr: '10.0.0.0/22' }]);
      assert.ok(created.ok);
      let state = created.state;
      const pool = cidr('10.0.0.0/22');
      for (const op of ops) {
        if (op.kind === 'roundTrip') state = roundTrip(state);
        else if (op.kind === 'release') {
          const held = Object.values(state.subnets).find((s) => s.owner === `o${op.owner}`);
          if (held) releaseSubnet(state, held.id);
        } else if (op.kind === 'carve') allocateSubnet(state, { owner: `o${op.owner}`, prefixLength: op.prefixLength });
        else {
          const size = 2 ** (32 - op.prefixLength);
          const base = Math.floor((op.third * 256) / size) * size;
          allocateSubnet(state, { owner: `o${op.owner}`, cidr: `10.0.${Math.floor(base / 256)}.${base % 256}/${op.prefixLength}` });
        }
        const subnets = Object.values(state.subnets);
        const owners = subnets.map((s) => s.owner);
        assert.equal(new Set(owners).size, owners.length, 'one subnet per owner');
        const blocks = subnets.map((s) => cidr(s.cidr));
        blocks.forEach((a, i) => {
          const inside = pool.base <= a.base && lastOf(a) <= lastOf(pool);
          assert.ok(inside || !overlaps(a, pool), `${subnets[i]!.cidr} straddles the pool`);
          blocks.forEach((b, j) => assert.ok(i === j || !overlaps(a, b), `${subnets[i]!.cidr} overlaps ${subnets[j]!.cidr}`));
        });
      }
    }),
    { numRuns: 300 },
  );
});

test('property: carving fails only when no aligned block of that size is free', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 24, max: 27 }), { maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 10 }), (sizes, releases) => {
      const created = createIpamState([{ id: 'p', cidr: '10.0.0.0/23' }]);
      assert.ok(created.ok);
      const state = created.state;
      sizes.forEach((prefixLength, i) => {
        if (releases.includes(i)) {
          const victim = Object.values(state.subnets)[0];
          if (victim) releaseSubnet(state, victim.id);
        }
        const result = allocateSubnet(state, { owner: `o${i}`, prefixLength });
        if (result.ok) return;
        // Naive check: try every aligned block of that size in the pool.
        const size = 2 ** (32 - prefixLength);
        const held = Object.values(state.subnets).map((s) => cidr(s.cidr));
        for (let start = 0; start < 512; start += size) {
          const block = cidr(`10.0.${Math.floor(start / 256)}.${start % 256}/${prefixLength}`);
          assert.ok(held.some((h) => overlaps(h, block)), `block ${start}/${prefixLength} was free`);
        }
      });
    }),
    { numRuns: 200 },
  );
});

const addressOp = fc.oneof(
  fc.record({ kind: fc.constant('dynamic' as const), owner: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('static' as const), owner: fc.integer({ min: 0, max: 20 }), offset: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('release' as const), owner: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('roundTrip' as const) }),
);

for (const family of [4, 6] as const) {
  test(`property (IPv${family}): no address held twice; dynamic fails only when full; released addresses come back`, () => {
    const subnetCidr = family === 4 ? '10.128.0.0/28' : 'fd7c:10c6:4e00::/124';
    const at = (offset: number) => (family === 4 ? `10.128.0.${offset}` : `fd7c:10c6:4e00::${offset.toString(16)}`);
    // Member addresses: all but the network, the gateway (and IPv4's broadcast).
    const usable = Array.from({ length: 16 }, (_, i) => at(i)).slice(2, family === 4 ? 15 : 16);
    fc.assert(
      fc.property(fc.array(addressOp, { maxLength: 60 }), (ops) => {
        const created = createIpamState();
        assert.ok(created.ok);
        let state = created.state;
        const subnet = allocateSubnet(state, { owner: 'net', cidr: subnetCidr });
        assert.ok(subnet.ok);
        const id = subnet.subnet.id;
        const model = new Map<string, string>(); // owner → address
        const released = new Set<string>();
        for (const op of ops) {
          if (op.kind === 'roundTrip') {
            state = roundTrip(state);
            continue;
          }
          const owner = `m${op.owner}`;
          if (op.kind === 'release') {
            const r = releaseAddress(state, id, owner);
            assert.equal(r.released, model.get(owner));
            if (r.released !== undefined) released.add(r.released);
            model.delete(owner);
          } else {
            const wanted = op.kind === 'static' ? at(op.offset) : undefined;
            const result = allocateAddress(state, id, wanted === undefined ? { owner } : { owner, address: wanted });
            const heldByOthers = new Set([...model].filter(([o]) => o !== owner).map(([, a]) => a));
            if (result.ok) {
              if (model.has(owner)) assert.equal(result.address, model.get(owner), 'idempotent');
              assert.ok(usable.includes(result.address), `${result.address} is a member address`);
              assert.ok(!heldByOthers.has(result.address), `${result.address} given twice`);
              if (wanted !== undefined) assert.equal(result.address, wanted);
              model.set(owner, result.address);
              released.delete(result.address);
            } else if (wanted === undefined) {
              assert.equal(model.size, usable.length, 'dynamic failed with free addresses left');
            }
          }
          const held = Object.keys(state.subnets[id]!.addresses).sort();
          assert.deepEqual(held, [...model.values()].sort(), 'state agrees with the model');
        }
        // Whatever was released and is still free comes back before the subnet reports full.
        const before = new Set(model.values());
        let n = 0;
        for (;;) {
          const result = allocateAddress(state, id, { owner: `fill${n++}` });
          if (!result.ok) break;
          assert.ok(!before.has(result.address));
          before.add(result.address);
        }
        assert.equal(before.size, usable.length, 'every member address ends up held');
      }),
      { numRuns: 300 },
    );
  });
}
