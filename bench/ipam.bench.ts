// Address allocation: every member address of a /16 (65,533: network, gateway and
// broadcast excluded), beside a naive baseline measured in the same run: a linear scan
// from the bottom of the subnet over a Set of used addresses for every allocation.
// The naive scan is quadratic, so it runs on the first NAIVE addresses (default 8,192) and
// the batch allocator is timed on the same prefix too, for a like-for-like ratio.
// Run: node --import tsx bench/ipam.bench.ts
import { allocateAddress, allocateSubnet, createIpamState, releaseAddress } from '../domain/ipam';
import type { IpamState } from '../domain/ipam';
import { printResult } from './support/benchResult';

const MEMBER_ADDRESSES = 65_536 - 3;
const NAIVE = Number(process.env.NAIVE ?? 8192);

function freshSubnet(): { state: IpamState; id: string } {
  const created = createIpamState();
  if (!created.ok) throw new Error('pools');
  const subnet = allocateSubnet(created.state, { owner: 'bench/net', prefixLength: 16 });
  if (!subnet.ok) throw new Error('subnet');
  return { state: created.state, id: subnet.subnet.id };
}

function ours(count: number): { ms: number; last: string } {
  const { state, id } = freshSubnet();
  let last = '';
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const result = allocateAddress(state, id, { owner: `m${i}` });
    if (!result.ok) throw new Error(result.issues[0]!.message);
    last = result.address;
  }
  const ms = performance.now() - start;
  if (count === MEMBER_ADDRESSES && allocateAddress(state, id, { owner: 'one-more' }).ok) throw new Error('a /16 has no more room');
  return { ms, last };
}

/** Naive: scan from the first member address, formatting each, until one is not in the Set. */
function naive(count: number): { ms: number; last: string } {
  const used = new Set<string>();
  const format = (offset: number) => `10.128.${offset >> 8}.${offset & 255}`;
  let last = '';
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    let offset = 2;
    while (used.has(format(offset))) offset++;
    last = format(offset);
    used.add(last);
  }
  return { ms: performance.now() - start, last };
}

/** Release and reuse at full occupancy: cost must not depend on how full the subnet is. */
function churn(rounds: number): number {
  const { state, id } = freshSubnet();
  for (let i = 0; i < MEMBER_ADDRESSES; i++) allocateAddress(state, id, { owner: `m${i}` });
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    releaseAddress(state, id, `m${i}`);
    const again = allocateAddress(state, id, { owner: `n${i}` });
    if (!again.ok) throw new Error('reuse');
  }
  return performance.now() - start;
}

ours(NAIVE); // warm up
const full = ours(MEMBER_ADDRESSES);
const prefix = ours(NAIVE);
const slow = naive(NAIVE);
const churnMs = churn(10_000);
if (prefix.last !== slow.last) throw new Error(`disagree: ${prefix.last} vs ${slow.last}`);

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
console.log(`ipam: member addresses of a /16 (10.128.0.0/16)`);
console.log(`  cursor + free list, all ${MEMBER_ADDRESSES}      ${String(rate(MEMBER_ADDRESSES, full.ms)).padStart(9)} allocations/s  (${full.ms.toFixed(0)} ms, last ${full.last})`);
console.log(`  cursor + free list, first ${NAIVE}    ${String(rate(NAIVE, prefix.ms)).padStart(9)} allocations/s  (${prefix.ms.toFixed(0)} ms)`);
console.log(`  naive Set scan, first ${NAIVE}        ${String(rate(NAIVE, slow.ms)).padStart(9)} allocations/s  (${slow.ms.toFixed(0)} ms)  ${(rate(NAIVE, prefix.ms) / rate(NAIVE, slow.ms)).toFixed(1)}x slower`);
console.log(`  release + reuse in a full /16         ${String(rate(10_000, churnMs)).padStart(9)} pairs/s        (${churnMs.toFixed(0)} ms for 10000)`);
printResult({
  bench: 'ipam',
  rows: [
    { measure: `IPAM: first ${NAIVE.toLocaleString('en-US')} member addresses of a /16`, kind: 'rate', unit: 'allocations/s', clocker: rate(NAIVE, prefix.ms), floor: rate(NAIVE, slow.ms), note: 'naive: linear scan over a Set' },
    { measure: `IPAM: all ${MEMBER_ADDRESSES.toLocaleString('en-US')} member addresses of a /16`, kind: 'rate', unit: 'allocations/s', clocker: rate(MEMBER_ADDRESSES, full.ms) },
  ],
});
