// Safety rules that must hold for any hosts and any request (fast-check generates them):
// no host over its limits, every member accounted for once, deterministic, idempotent, and
// "nothing fits" only when an independent, naive check agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { placeBatch, RANKER_NAMES } from '../../../domain/placement';
import type { HostView, PlacementRequest, Reservation } from '../../../domain/placement';

const reservationArb = fc.record({
  app: fc.constantFrom('shop', 'blog'),
  service: fc.constantFrom('web', 'db'),
  member: fc.string({ minLength: 1, maxLength: 4 }),
  cpus: fc.constantFrom(0, 0.5, 1),
  memoryBytes: fc.constantFrom(0, 256, 512),
});

const hostArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    healthy: fc.boolean(),
    labels: fc.record({ disk: fc.constantFrom('ssd', 'hdd') }),
    zone: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
    capacity: fc.record({ cpus: fc.constantFrom(1, 2, 4), memoryBytes: fc.constantFrom(1024, 2048), maxContainers: fc.integer({ min: 0, max: 6 }) }),
    usage: fc.record({ cpuPercent: fc.integer({ min: 0, max: 100 }), memoryBytes: fc.integer({ min: 0, max: 2048 }) }),
    reservations: fc.array(reservationArb, { maxLength: 4 }),
  }).map((h): HostView => {
    // Generated reservations use ids that cannot collide with requested members (m0, m1, …).
    const reservations = h.reservations.map((r, i): Reservation => ({ ...r, member: `old-${id}-${i}` }));
    return { ...h, healthy: h.healthy, reservations, ...(h.zone === undefined ? { zone: undefined } : {}) };
  });

const hostsArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostArb(`h${i}`))));

const requestArb = fc.record({
  members: fc.integer({ min: 1, max: 20 }),
  cpus: fc.constantFrom(0, 0.5, 1),
  memoryBytes: fc.constantFrom(0, 256),
  maxPerHost: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  maxPerZone: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  maxCpuPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  ssdOnly: fc.boolean(),
  strategy: fc.subarray(RANKER_NAMES),
}).map((r): PlacementRequest => ({
  app: 'shop',
  service: 'web',
  members: Array.from({ length: r.members }, (_, i) => `m${i}`),
  resources: { cpus: r.cpus, memoryBytes: r.memoryBytes },
  constraints: {
    ...(r.maxPerHost !== undefined ? { maxPerHost: r.maxPerHost } : {}),
    ...(r.maxPerZone !== undefined ? { maxPerZone: r.maxPerZone } : {}),
    ...(r.maxCpuPercent !== undefined ? { maxCpuPercent: r.maxCpuPercent } : {}),
    ...(r.ssdOnly ? { predicate: 'labels.disk == "ssd"' } : {}),
  },
  strategy: r.strategy,
}));

const ofService = (rs: readonly Reservation[]) => rs.filter((r) => r.app === 'shop' && r.service === 'web');
const sum = (rs: readonly Reservation[], f: (r: Reservation) => number) => rs.reduce((n, r) => n + f(r), 0);

/** Written independently of the stack: may this host take one more member of the request? */
function naiveFits(host: HostView, all: readonly HostView[], req: PlacementRequest): boolean {
  const c = req.constraints ?? {};
  const cpus = req.resources?.cpus ?? 0;
  const mem = req.resources?.memoryBytes ?? 0;
  const zoneCount = ofService(all.filter((h) => (h.zone ?? '') === (host.zone ?? '')).flatMap((h) => h.reservations)).length;
  return (
    host.healthy &&
    (!c.predicate || host.labels.disk === 'ssd') &&
    (c.maxCpuPercent === undefined || host.usage.cpuPercent <= c.maxCpuPercent) &&
    host.reservations.length < host.capacity.maxContainers &&
    (cpus === 0 || sum(host.reservations, (r) => r.cpus) + cpus <= host.capacity.cpus + 1e-9) &&
    (mem === 0 || sum(host.reservations, (r) => r.memoryBytes) + mem <= host.capacity.memoryBytes) &&
    (c.maxPerHost === undefined || ofService(host.reservations).length < c.maxPerHost) &&
    (c.maxPerZone === undefined || zoneCount < c.maxPerZone)
  );
}

test('property: no host goes over a limit, and every member is accounted for once', () => {
  fc.assert(
    fc.property(hostsArb, requestArb, fc.string(), (hosts, req, seed) => {
      const result = placeBatch(hosts, req, seed);
      const assignments = result.ok ? result.assignments : result.placed;
      const unplaced = result.ok ? [] : result.unplaced;
      assert.deepEqual([...assignments.map((a) => a.member), ...unplaced].sort(), [...req.members].sort());
      const c = req.constraints ?? {};
      result.hosts.forEach((after, i) => {
        const before = hosts[i]!;
        const added = after.reservations.length - before.reservations.length;
        assert.equal(added, assignments.filter((a) => a.hostId === after.id).length);
        if (added === 0) return;
        // The last member booked here must have fit: replay the check on the host as it was then.
        const lastBefore = { ...after, reservations: after.reservations.slice(0, -1) };
        const others = result.hosts.map((h) => (h.id === after.id ? lastBefore : h));
        assert.ok(naiveFits(lastBefore, others, req), `host ${after.id} took a member it had no room for`);
        assert.ok(after.reservations.length <= after.capacity.maxContainers);
        if (c.maxPerHost !== undefined) assert.ok(ofService(after.reservations).length <= c.maxPerHost);
      });
      if (c.maxPerZone !== undefined) {
        const zones = new Map<string, number>();
        for (const h of result.hosts) zones.set(h.zone ?? '', (zones.get(h.zone ?? '') ?? 0) + ofService(h.reservations).length);
        const grown = new Set(assignments.map((a) => result.hosts.find((h) => h.id === a.hostId)!.zone ?? ''));
        for (const zone of grown) assert.ok(zones.get(zone)! <= c.maxPerZone, `zone ${zone} over maxPerZone`);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: "nothing fits" only when no host can take the next member', () => {
  fc.assert(
    fc.property(hostsArb, requestArb, fc.integer(), (hosts, req, seed) => {
      const result = placeBatch(hosts, req, seed);
      if (result.ok) return;
      for (const h of result.hosts) assert.equal(naiveFits(h, result.hosts, req), false, `host ${h.id} could have taken ${result.unplaced[0]}`);
      const rejected = result.explanation.rejections.reduce((n, r) => n + r.hosts, 0);
      assert.equal(rejected, hosts.length, 'every host has a reason');
    }),
    { numRuns: 300 },
  );
});

test('property: same input and seed, same answer; placing again changes nothing', () => {
  fc.assert(
    fc.property(hostsArb, requestArb, fc.string(), (hosts, req, seed) => {
      const first = placeBatch(hosts, req, seed);
      assert.deepEqual(placeBatch(hosts, req, seed), first);
      if (!first.ok) return;
      const again = placeBatch(first.hosts, req, `${seed}-retry`);
      assert.ok(again.ok);
      assert.deepEqual(again.assignments, first.assignments.map((a) => ({ ...a, existing: true })));
      assert.deepEqual(again.hosts, first.hosts);
    }),
    { numRuns: 200 },
  );
});
