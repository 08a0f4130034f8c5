// A batch is one decision: later members see earlier bookings, the answer explains itself,
// retries are idempotent, and inputs are never modified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeBatch, release } from '../../../domain/placement';
import type { HostView } from '../../../domain/placement';
import { booked, countByHost, GiB, host, request } from './fixtures';

const small = (id: string, maxContainers: number, extra: Partial<HostView> = {}) =>
  host(id, { capacity: { cpus: 4, memoryBytes: 8 * GiB, maxContainers }, ...extra });

test('nothing fits: the summary counts hosts per reason (the issue example)', () => {
  const hosts = [
    small('h1', 10, { labels: { region: 'eu' }, reservations: booked('other', 'db', 10) }),
    small('h2', 10, { labels: { region: 'eu' }, reservations: booked('other', 'db', 10) }),
    small('h3', 10, { labels: { region: 'us' } }),
  ];
  const result = placeBatch(hosts, request(1, { constraints: { requiredLabels: { region: 'eu' } } }), 1);
  assert.equal(result.ok, false);
  assert.equal(result.explanation.summary, 'no host fits member web-1 of shop/web (placed 0 of 1): 3 hosts: 2 over maxContainers=10, 1 missing label region=eu');
  assert.deepEqual(result.explanation.rejections, [
    { filter: 'maxContainers', reason: 'over maxContainers=10', hosts: 2, hostIds: ['h1', 'h2'] },
    { filter: 'requiredLabels', reason: 'missing label region=eu', hosts: 1, hostIds: ['h3'] },
  ]);
});

test('success: which hosts got how many, with each ranker score when first chosen', () => {
  const hosts = [small('h1', 10), small('h2', 10, { healthy: false, status: 'FAILED' }), small('h3', 10, { reservations: booked('other', 'db', 2) })];
  const result = placeBatch(hosts, request(3), 1);
  assert.ok(result.ok);
  assert.equal(result.explanation.summary, 'placed 3 members of shop/web on 2 hosts (h1: 2, h3: 1); 3 hosts: 2 feasible, 1 unhealthy (FAILED)');
  assert.deepEqual(result.explanation.chosen, [
    { hostId: 'h1', members: 2, scores: { 'breadth-first': 0, 'fewest-containers': 0 } },
    { hostId: 'h3', members: 1, scores: { 'breadth-first': 0, 'fewest-containers': 2 } },
  ]);
  assert.deepEqual(result.assignments, [
    { member: 'web-1', hostId: 'h1', existing: false },
    { member: 'web-2', hostId: 'h3', existing: false },
    { member: 'web-3', hostId: 'h1', existing: false },
  ]);
});

test('later members see earlier bookings: a full batch stops exactly at the limits', () => {
  const hosts = [small('h1', 2), small('h2', 2), small('h3', 2)];
  const fits = placeBatch(hosts, request(6), 's');
  assert.ok(fits.ok);
  assert.deepEqual(countByHost(fits.assignments), { h1: 2, h2: 2, h3: 2 });
  const tooMany = placeBatch(hosts, request(8), 's');
  assert.equal(tooMany.ok, false);
  if (tooMany.ok) return;
  assert.equal(tooMany.placed.length, 6);
  assert.deepEqual(tooMany.unplaced, ['web-7', 'web-8']);
  assert.equal(tooMany.explanation.summary, 'no host fits member web-7 of shop/web (placed 6 of 8): 3 hosts: 3 over maxContainers=2');
  assert.equal(tooMany.explanation.feasible, 3, 'feasible counts hosts at the start of the batch');
  assert.deepEqual(tooMany.hosts.map((h) => h.reservations.length), [2, 2, 2], 'placed members are booked in the returned hosts');
});

test('cpu and memory bookings accumulate within the batch', () => {
  const hosts = [host('h1', { capacity: { cpus: 2, memoryBytes: 4 * GiB, maxContainers: 100 } })];
  const result = placeBatch(hosts, request(3, { resources: { cpus: 1, memoryBytes: GiB }, strategy: ['least-cpu'] }), 1);
  assert.equal(result.ok, false);
  assert.equal(result.explanation.summary, 'no host fits member web-3 of shop/web (placed 2 of 3): 1 host: 1 no room for cpus=1');
  assert.deepEqual(result.hosts[0]!.reservations, [
    { app: 'shop', service: 'web', member: 'web-1', cpus: 1, memoryBytes: GiB },
    { app: 'shop', service: 'web', member: 'web-2', cpus: 1, memoryBytes: GiB },
  ]);
});

test('maxPerZone holds across the batch, and the reason names the zone', () => {
  const hosts = [host('a1', { zone: 'a' }), host('a2', { zone: 'a' }), host('b1', { zone: 'b' })];
  const result = placeBatch(hosts, request(5, { constraints: { maxPerZone: 2 } }), 1);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(countByHost(result.placed), { a1: 1, a2: 1, b1: 2 });
  assert.equal(result.explanation.summary, 'no host fits member web-5 of shop/web (placed 4 of 5): 3 hosts: 2 zone a at maxPerZone=2, 1 zone b at maxPerZone=2');
});

test('maxPerHost spreads one service even under depth-first', () => {
  const hosts = [host('h1'), host('h2'), host('h3')];
  const result = placeBatch(hosts, request(3, { strategy: ['depth-first'], constraints: { maxPerHost: 1 } }), 1);
  assert.ok(result.ok);
  assert.deepEqual(countByHost(result.assignments), { h1: 1, h2: 1, h3: 1 });
});

test('placing again is idempotent: members already placed come back as they are', () => {
  const hosts = [small('h1', 5), small('h2', 5)];
  const first = placeBatch(hosts, request(3), 1);
  assert.ok(first.ok);
  const again = placeBatch(first.hosts, request(4), 2);
  assert.ok(again.ok);
  assert.deepEqual(
    again.assignments.slice(0, 3),
    first.assignments.map((a) => ({ ...a, existing: true })),
  );
  assert.equal(again.assignments[3]!.existing, false);
  assert.equal(again.explanation.summary, 'placed 1 member of shop/web on 1 host (h2: 1), 3 already placed; 2 hosts: 2 feasible');
  const retry = placeBatch(again.hosts, request(4), 3);
  assert.ok(retry.ok);
  assert.equal(retry.hosts.every((h, i) => h === again.hosts[i]), true, 'nothing new booked');
});

test('inputs are never modified', () => {
  const hosts = [small('h1', 1, { reservations: booked('other', 'db', 0) }), small('h2', 1)];
  const req = request(3, { constraints: { maxPerHost: 1 } });
  const before = JSON.stringify({ hosts, req });
  placeBatch(hosts, req, 1);
  release(hosts, 'shop', 'web');
  assert.equal(JSON.stringify({ hosts, req }), before);
});

test('an invalid request is refused with its problems, before any host is looked at', () => {
  const result = placeBatch([host('h1')], request(['a', 'a'], { strategy: ['fastest' as never] }), 1);
  assert.equal(result.ok, false);
  assert.equal(
    result.explanation.summary,
    'invalid placement request: members[1]: repeats member a; strategy[0]: "fastest" is not a ranker (known: random, depth-first, breadth-first, least-cpu, least-memory, fewest-containers)',
  );
});

test('no hosts at all', () => {
  const result = placeBatch([], request(1), 1);
  assert.equal(result.explanation.summary, 'no host fits member web-1 of shop/web (placed 0 of 1): 0 hosts');
});

test('a long list of chosen hosts is cut short in the summary', () => {
  const hosts = Array.from({ length: 8 }, (_, i) => host(`h${i + 1}`));
  const result = placeBatch(hosts, request(8), 1);
  assert.equal(result.explanation.summary, 'placed 8 members of shop/web on 8 hosts (h1: 1, h2: 1, h3: 1, h4: 1, h5: 1, … 3 more); 8 hosts: 8 feasible');
});

test('release frees named members, or all of a service, and ignores unknown ones', () => {
  const hosts = [host('h1', { reservations: [...booked('shop', 'web', ['w1', 'w2']), ...booked('shop', 'db', ['d1'])] }), host('h2', { reservations: booked('shop', 'web', ['w3']) })];
  const some = release(hosts, 'shop', 'web', ['w2', 'w3', 'nope']);
  assert.deepEqual(some.released, [{ member: 'w2', hostId: 'h1' }, { member: 'w3', hostId: 'h2' }]);
  assert.deepEqual(some.hosts.map((h) => h.reservations.map((r) => r.member)), [['w1', 'd1'], []]);
  const all = release(hosts, 'shop', 'web');
  assert.deepEqual(all.hosts.map((h) => h.reservations.map((r) => r.member)), [['d1'], []]);
  const none = release(hosts, 'blog', 'web');
  assert.deepEqual(none.released, []);
  assert.equal(none.hosts[0], hosts[0], 'untouched hosts are the same objects');
});

test('released capacity is used again', () => {
  const hosts = [small('h1', 2)];
  const full = placeBatch(hosts, request(2), 1);
  assert.ok(full.ok);
  const freed = release(full.hosts, 'shop', 'web', ['web-1']);
  const again = placeBatch(freed.hosts, request(['web-9']), 1);
  assert.ok(again.ok);
  assert.deepEqual(again.assignments, [{ member: 'web-9', hostId: 'h1', existing: false }]);
});
