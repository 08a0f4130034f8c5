// Each filter, table-driven: a host (plus what the batch has booked) in, a reason or
// undefined out. Reasons are pinned verbatim: they are what operators read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geographyFilter } from '../../../domain/placement/filters/geography';
import { healthyFilter } from '../../../domain/placement/filters/healthy';
import type { HostFilter } from '../../../domain/placement/filters/hostFilter';
import { maxContainersFilter } from '../../../domain/placement/filters/maxContainers';
import { maxPerHostFilter } from '../../../domain/placement/filters/maxPerHost';
import { maxPerZoneFilter } from '../../../domain/placement/filters/maxPerZone';
import { measuredCpuFilter } from '../../../domain/placement/filters/measuredCpu';
import { measuredMemoryFilter } from '../../../domain/placement/filters/measuredMemory';
import { predicateFilter } from '../../../domain/placement/filters/predicate';
import { requiredLabelsFilter } from '../../../domain/placement/filters/requiredLabels';
import { reservedCpuFilter } from '../../../domain/placement/filters/reservedCpu';
import { reservedMemoryFilter } from '../../../domain/placement/filters/reservedMemory';
import { buildSlots } from '../../../domain/placement/hostSlot';
import type { HostView, PlacementRequest } from '../../../domain/placement';
import { booked, GiB, host, request } from './fixtures';

interface Case {
  name: string;
  filter: (req: PlacementRequest) => HostFilter | undefined;
  req?: Partial<PlacementRequest>;
  host: HostView;
  /** Other hosts in the batch (for per-zone counts). */
  others?: HostView[];
  expect: string | undefined;
}

const c = (constraints: PlacementRequest['constraints']) => ({ constraints });

const cases: Case[] = [
  { name: 'healthy host passes', filter: healthyFilter, host: host('h1'), expect: undefined },
  { name: 'unhealthy host with status', filter: healthyFilter, host: host('h1', { healthy: false, status: 'FAILED' }), expect: 'unhealthy (FAILED)' },
  { name: 'unhealthy host without status', filter: healthyFilter, host: host('h1', { healthy: false }), expect: 'unhealthy' },

  { name: 'room under maxContainers', filter: maxContainersFilter, host: host('h1', { reservations: booked('a', 's', 9) }), expect: undefined },
  { name: 'at maxContainers, any app counts', filter: maxContainersFilter, host: host('h1', { reservations: booked('other', 'db', 10) }), expect: 'over maxContainers=10' },

  { name: 'measured cpu at limit passes', filter: (r) => measuredCpuFilter(r.constraints ?? {}), req: c({ maxCpuPercent: 80 }), host: host('h1', { usage: { cpuPercent: 80, memoryBytes: 0 } }), expect: undefined },
  { name: 'measured cpu above limit', filter: (r) => measuredCpuFilter(r.constraints ?? {}), req: c({ maxCpuPercent: 80 }), host: host('h1', { usage: { cpuPercent: 80.5, memoryBytes: 0 } }), expect: 'over maxCpuPercent=80' },
  { name: 'measured memory below limit', filter: (r) => measuredMemoryFilter(r.constraints ?? {}), req: c({ maxMemoryPercent: 50 }), host: host('h1', { usage: { cpuPercent: 0, memoryBytes: 4 * GiB } }), expect: undefined },
  { name: 'measured memory above limit', filter: (r) => measuredMemoryFilter(r.constraints ?? {}), req: c({ maxMemoryPercent: 50 }), host: host('h1', { usage: { cpuPercent: 0, memoryBytes: 5 * GiB } }), expect: 'over maxMemoryPercent=50' },
  { name: 'no memory capacity counts as full', filter: (r) => measuredMemoryFilter(r.constraints ?? {}), req: c({ maxMemoryPercent: 99 }), host: host('h1', { capacity: { cpus: 1, memoryBytes: 0, maxContainers: 1 } }), expect: 'over maxMemoryPercent=99' },

  { name: 'booked cpus leave room', filter: reservedCpuFilter, req: { resources: { cpus: 1 } }, host: host('h1', { reservations: booked('a', 's', 3, { cpus: 1 }) }), expect: undefined },
  { name: 'booked cpus leave no room', filter: reservedCpuFilter, req: { resources: { cpus: 1.5 } }, host: host('h1', { reservations: booked('a', 's', 3, { cpus: 1 }) }), expect: 'no room for cpus=1.5' },
  { name: 'fractional cpus fit exactly', filter: reservedCpuFilter, req: { resources: { cpus: 0.1 } }, host: host('h1', { capacity: { cpus: 0.3, memoryBytes: GiB, maxContainers: 9 }, reservations: booked('a', 's', 2, { cpus: 0.1 }) }), expect: undefined },
  { name: 'booked memory leaves room', filter: reservedMemoryFilter, req: { resources: { memoryBytes: GiB } }, host: host('h1', { reservations: booked('a', 's', 7, { memoryBytes: GiB }) }), expect: undefined },
  { name: 'booked memory leaves no room', filter: reservedMemoryFilter, req: { resources: { memoryBytes: 2 * GiB } }, host: host('h1', { reservations: booked('a', 's', 7, { memoryBytes: GiB }) }), expect: `no room for memoryBytes=${2 * GiB}` },

  { name: 'labels all present', filter: (r) => requiredLabelsFilter(r.constraints ?? {}), req: c({ requiredLabels: { disk: 'ssd', region: 'eu' } }), host: host('h1', { labels: { disk: 'ssd', region: 'eu', x: 'y' } }), expect: undefined },
  { name: 'label missing', filter: (r) => requiredLabelsFilter(r.constraints ?? {}), req: c({ requiredLabels: { region: 'eu' } }), host: host('h1'), expect: 'missing label region=eu' },
  { name: 'label with other value, first in sorted order named', filter: (r) => requiredLabelsFilter(r.constraints ?? {}), req: c({ requiredLabels: { region: 'eu', disk: 'ssd' } }), host: host('h1', { labels: { region: 'us', disk: 'hdd' } }), expect: 'missing label disk=ssd' },
  { name: 'label named like a prototype property', filter: (r) => requiredLabelsFilter(r.constraints ?? {}), req: c({ requiredLabels: { constructor: 'x' } }), host: host('h1'), expect: 'missing label constructor=x' },

  { name: 'region allowed', filter: (r) => geographyFilter(r.constraints ?? {}), req: c({ regions: ['eu', 'us'] }), host: host('h1', { region: 'us' }), expect: undefined },
  { name: 'region not allowed', filter: (r) => geographyFilter(r.constraints ?? {}), req: c({ regions: ['eu', 'us'] }), host: host('h1', { region: 'ap' }), expect: 'not in region eu or us' },
  { name: 'host without region', filter: (r) => geographyFilter(r.constraints ?? {}), req: c({ regions: ['eu'] }), host: host('h1'), expect: 'not in region eu' },
  { name: 'zone not allowed', filter: (r) => geographyFilter(r.constraints ?? {}), req: c({ regions: ['eu'], zones: ['eu-1a'] }), host: host('h1', { region: 'eu', zone: 'eu-1b' }), expect: 'not in zone eu-1a' },

  { name: 'below maxPerHost', filter: (r) => maxPerHostFilter(r.constraints ?? {}), req: c({ maxPerHost: 2 }), host: host('h1', { reservations: [...booked('shop', 'web', 1), ...booked('shop', 'db', 5)] }), expect: undefined },
  { name: 'at maxPerHost', filter: (r) => maxPerHostFilter(r.constraints ?? {}), req: c({ maxPerHost: 2 }), host: host('h1', { reservations: booked('shop', 'web', 2) }), expect: 'at maxPerHost=2' },
  { name: 'same service name in another app does not count', filter: (r) => maxPerHostFilter(r.constraints ?? {}), req: c({ maxPerHost: 1 }), host: host('h1', { reservations: booked('blog', 'web', 3) }), expect: undefined },

  { name: 'zone below maxPerZone', filter: (r) => maxPerZoneFilter(r.constraints ?? {}), req: c({ maxPerZone: 2 }), host: host('h1', { zone: 'a' }), others: [host('h2', { zone: 'a', reservations: booked('shop', 'web', 1) })], expect: undefined },
  { name: 'zone at maxPerZone through another host', filter: (r) => maxPerZoneFilter(r.constraints ?? {}), req: c({ maxPerZone: 2 }), host: host('h1', { zone: 'a' }), others: [host('h2', { zone: 'a', reservations: booked('shop', 'web', 2) })], expect: 'zone a at maxPerZone=2' },
  { name: 'hosts without zone share one', filter: (r) => maxPerZoneFilter(r.constraints ?? {}), req: c({ maxPerZone: 1 }), host: host('h1'), others: [host('h2', { reservations: booked('shop', 'web', 1) })], expect: 'zone (none) at maxPerZone=1' },

  { name: 'predicate holds', filter: (r) => predicateFilter(r.constraints ?? {}), req: c({ predicate: 'cpus >= 4 and labels.disk == "ssd"' }), host: host('h1', { labels: { disk: 'ssd' } }), expect: undefined },
  { name: 'predicate fails', filter: (r) => predicateFilter(r.constraints ?? {}), req: c({ predicate: 'cpus >= 8' }), host: host('h1'), expect: 'fails predicate cpus >= 8' },
  { name: 'predicate on a missing label fails', filter: (r) => predicateFilter(r.constraints ?? {}), req: c({ predicate: 'labels.disk == "ssd"' }), host: host('h1'), expect: 'fails predicate labels.disk == "ssd"' },
  { name: 'predicate over measured memory', filter: (r) => predicateFilter(r.constraints ?? {}), req: c({ predicate: 'memoryPercent < 50 and zone in ("a", "b")' }), host: host('h1', { zone: 'b', usage: { cpuPercent: 0, memoryBytes: 2 * GiB } }), expect: undefined },
  { name: 'predicate type error is a reason', filter: (r) => predicateFilter(r.constraints ?? {}), req: c({ predicate: 'id + 1 > 2' }), host: host('h1'), expect: 'predicate error: Expected a number, but got a text instead.' },
];

for (const t of cases) {
  test(`filter: ${t.name}`, () => {
    const req = request(1, t.req);
    const filter = t.filter(req);
    assert.ok(filter, 'the filter applies to this request');
    const { slots, counts } = buildSlots([t.host, ...(t.others ?? [])], req);
    assert.equal(filter.reject(slots[0]!, counts), t.expect);
  });
}

test('filters that depend on an unset constraint are left out of the stack', () => {
  const req = request(1);
  assert.equal(measuredCpuFilter({}), undefined);
  assert.equal(measuredMemoryFilter({}), undefined);
  assert.equal(reservedCpuFilter(req), undefined);
  assert.equal(reservedMemoryFilter(req), undefined);
  assert.equal(requiredLabelsFilter({ requiredLabels: {} }), undefined);
  assert.equal(geographyFilter({ regions: [] }), undefined);
  assert.equal(maxPerHostFilter({}), undefined);
  assert.equal(maxPerZoneFilter({}), undefined);
  assert.equal(predicateFilter({ predicate: '  ' }), undefined);
});

test('static and dynamic filters are marked as such', () => {
  const req = request(1, { resources: { cpus: 1, memoryBytes: 1 }, constraints: { maxPerHost: 1, maxPerZone: 1, maxCpuPercent: 1, maxMemoryPercent: 1, regions: ['x'], requiredLabels: { a: 'b' }, predicate: 'cpus > 0' } });
  const kinds = [healthyFilter(), geographyFilter(req.constraints!), requiredLabelsFilter(req.constraints!), predicateFilter(req.constraints!), measuredCpuFilter(req.constraints!), measuredMemoryFilter(req.constraints!), maxContainersFilter(), reservedCpuFilter(req), reservedMemoryFilter(req), maxPerHostFilter(req.constraints!), maxPerZoneFilter(req.constraints!)].map((f) => `${f!.name}:${f!.dynamic ? 'dynamic' : 'static'}`);
  assert.deepEqual(kinds, ['healthy:static', 'geography:static', 'requiredLabels:static', 'predicate:static', 'maxCpuPercent:static', 'maxMemoryPercent:static', 'maxContainers:dynamic', 'cpus:dynamic', 'memory:dynamic', 'maxPerHost:dynamic', 'maxPerZone:dynamic']);
});
