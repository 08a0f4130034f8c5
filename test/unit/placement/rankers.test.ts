// Each ranker, table-driven: its score for a host, and where a batch goes when it leads the
// strategy. Lower scores are placed first; input order breaks full ties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeBatch } from '../../../domain/placement';
import type { HostView, RankerName } from '../../../domain/placement';
import { buildSlots } from '../../../domain/placement/hostSlot';
import { RANKERS } from '../../../domain/placement/rankers/registry';
import { booked, countByHost, GiB, host, request } from './fixtures';

const scoreCases: { ranker: RankerName; host: HostView; expect: number }[] = [
  { ranker: 'depth-first', host: host('h', { reservations: booked('any', 'x', 3) }), expect: -3 },
  { ranker: 'breadth-first', host: host('h', { reservations: [...booked('shop', 'web', 2), ...booked('shop', 'db', 5)] }), expect: 2 },
  { ranker: 'fewest-containers', host: host('h', { reservations: [...booked('shop', 'web', 2), ...booked('shop', 'db', 5)] }), expect: 7 },
  { ranker: 'least-cpu', host: host('h', { usage: { cpuPercent: 25, memoryBytes: 0 }, reservations: booked('a', 'b', 2, { cpus: 1 }) }), expect: 0.75 },
  { ranker: 'least-memory', host: host('h', { usage: { cpuPercent: 0, memoryBytes: 2 * GiB }, reservations: booked('a', 'b', 2, { memoryBytes: GiB }) }), expect: 0.5 },
  { ranker: 'least-memory', host: host('h', { capacity: { cpus: 1, memoryBytes: 0, maxContainers: 1 } }), expect: 2 },
];

for (const t of scoreCases) {
  test(`ranker ${t.ranker} scores ${t.expect}`, () => {
    const { slots } = buildSlots([t.host], request(1));
    assert.equal(RANKERS[t.ranker].score(slots[0]!), t.expect);
  });
}

const threeHosts = (): HostView[] => [
  host('h1', { capacity: { cpus: 4, memoryBytes: 8 * GiB, maxContainers: 3 }, reservations: booked('other', 'db', 1, { cpus: 1, memoryBytes: 4 * GiB }) }),
  host('h2', { capacity: { cpus: 4, memoryBytes: 8 * GiB, maxContainers: 3 }, usage: { cpuPercent: 50, memoryBytes: 0 } }),
  host('h3', { capacity: { cpus: 4, memoryBytes: 8 * GiB, maxContainers: 3 }, reservations: booked('shop', 'web', 1, { cpus: 0, memoryBytes: GiB }) }),
];

const batchCases: { strategy: RankerName[]; members: number; expect: Record<string, number>; why: string }[] = [
  { strategy: ['depth-first'], members: 3, expect: { h1: 2, h3: 1 }, why: 'fills h1 (most containers, input order on the tie with h3) before the next' },
  { strategy: ['breadth-first'], members: 3, expect: { h1: 2, h2: 1 }, why: 'h3 already has a web member; h1 and h2 take turns' },
  { strategy: ['fewest-containers'], members: 3, expect: { h2: 2, h1: 1 }, why: 'empty h2 first, then ties by input order: h1, h2' },
  { strategy: ['least-cpu'], members: 2, expect: { h3: 2 }, why: 'h1 has a booked cpu and h2 is 50% busy; h3 idles' },
  { strategy: ['least-memory'], members: 2, expect: { h2: 2 }, why: 'h2 has nothing booked or used' },
  { strategy: ['breadth-first', 'least-memory'], members: 2, expect: { h2: 1, h1: 1 }, why: 'ties on breadth broken by memory: h2 then h1' },
  { strategy: [], members: 3, expect: { h1: 2, h2: 1 }, why: 'no rankers: input order, first fit' },
];

for (const t of batchCases) {
  test(`strategy [${t.strategy.join(', ')}] ${t.why}`, () => {
    const result = placeBatch(threeHosts(), request(t.members, { strategy: t.strategy }), 'seed');
    assert.equal(result.ok, true, result.explanation.summary);
    if (!result.ok) return;
    assert.deepEqual(countByHost(result.assignments), t.expect);
  });
}

test('random: same seed, same placement; different seeds differ', () => {
  const hosts = Array.from({ length: 20 }, (_, i) => host(`h${i}`));
  const place = (seed: string) => {
    const r = placeBatch(hosts, request(10, { strategy: ['random'] }), seed);
    assert.ok(r.ok);
    return r.assignments.map((a) => a.hostId).join(',');
  };
  assert.equal(place('a'), place('a'));
  const seen = new Set(['a', 'b', 'c', 'd'].map(place));
  assert.ok(seen.size > 1, 'four seeds give more than one placement');
});

test('random picks hosts about uniformly, member by member', () => {
  const hosts = Array.from({ length: 10 }, (_, i) => host(`h${i}`, { capacity: { cpus: 1, memoryBytes: GiB, maxContainers: 10_000 } }));
  const r = placeBatch(hosts, request(5000, { strategy: ['random'] }), 42);
  assert.ok(r.ok);
  const counts = Object.values(countByHost(r.assignments));
  assert.equal(counts.length, 10, 'every host got members');
  // 500 expected per host; ±100 is more than 4 standard deviations (sd ≈ 21).
  assert.ok(counts.every((n) => n > 400 && n < 600), `counts: ${counts.join(',')}`);
  // Not round-robin either: consecutive members land on the same host sometimes (≈10%).
  const repeats = r.assignments.filter((a, i) => i > 0 && r.assignments[i - 1]!.hostId === a.hostId).length;
  assert.ok(repeats > 300 && repeats < 700, `repeats: ${repeats}`);
});

test('random as a tie-break keeps the leading ranker in charge', () => {
  const hosts = Array.from({ length: 4 }, (_, i) => host(`h${i}`));
  const r = placeBatch(hosts, request(8, { strategy: ['breadth-first', 'random'] }), 7);
  assert.ok(r.ok);
  assert.deepEqual(Object.values(countByHost(r.assignments)), [2, 2, 2, 2]);
});
