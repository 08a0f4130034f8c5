// How an infrastructure's state starts (spec, carried, legacy bookings), how hosts look to the
// scheduler, and how a blueprint's placement rules become a scheduler request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placementOptions } from '../../domain/infra/blueprintPlacement';
import { hostView, UNDECLARED_CAPACITY } from '../../domain/infra/hostView';
import { initialInfraState } from '../../domain/infra/initialState';
import type { HostRecord } from '../../domain/infra/model';

const local: HostRecord = { id: 'local', address: '127.0.0.1', docker: { kind: 'socket', socketPath: '/var/run/docker.sock' }, status: 'AVAILABLE', labels: {}, maxContainers: 100 };

test('the `clocker up` local host works as registered: healthy, undeclared CPU and memory unbounded, nothing measured', () => {
  assert.deepEqual(hostView({ record: local, usage: { cpuPercent: 0, memoryBytes: 0 }, reservations: [] }), {
    id: 'local',
    healthy: true,
    status: 'AVAILABLE',
    labels: {},
    region: undefined,
    zone: undefined,
    capacity: { cpus: UNDECLARED_CAPACITY, memoryBytes: UNDECLARED_CAPACITY, maxContainers: 100 },
    usage: { cpuPercent: 0, memoryBytes: 0 },
    reservations: [],
  });
});

test('a host that is not AVAILABLE is unhealthy to the scheduler, with its status as the reason', () => {
  const view = hostView({ record: { ...local, status: 'DRAINING', region: 'eu', zone: 'eu-a', cpus: 8 }, usage: { cpuPercent: 5, memoryBytes: 1 }, reservations: [] });
  assert.deepEqual([view.healthy, view.status, view.region, view.zone, view.capacity.cpus], [false, 'DRAINING', 'eu', 'eu-a', 8]);
});

test('a fresh state has the default pools; configured pools replace them; bad pools and repeated hosts are refused', () => {
  const fresh = initialInfraState({ name: 'i', hosts: [local] });
  assert.ok(fresh.ok);
  assert.deepEqual(fresh.state.ipam.pools.map((p) => p.cidr), ['10.128.0.0/9', 'fd7c:10c6:4e00::/48']);
  const custom = initialInfraState({ name: 'i', hosts: [], pools: [{ cidr: '10.50.0.0/16' }] });
  assert.ok(custom.ok);
  assert.deepEqual(custom.state.ipam.pools, [{ id: '10.50.0.0/16', cidr: '10.50.0.0/16', family: 4, subnetPrefixLength: 24 }]);
  assert.deepEqual(initialInfraState({ name: 'i', hosts: [], pools: [{ cidr: '10.50.0.0' }] }), {
    ok: false,
    problem: 'pools[0].cidr: "10.50.0.0" is not a CIDR (e.g. 10.128.0.0/24 or fd00::/64)',
  });
  assert.deepEqual(initialInfraState({ name: 'i', hosts: [local, local] }), { ok: false, problem: 'hosts: id local repeats' });
});

test('carried state wins over the spec; legacy bookings become reservations asking for nothing', () => {
  const legacy = initialInfraState({ name: 'i', hosts: [local] }, undefined, [
    { app: 'a', service: 's', member: '1', hostId: 'local' },
    { app: 'a', service: 's', member: '2', hostId: 'gone' },
  ]);
  assert.ok(legacy.ok);
  assert.deepEqual(legacy.state.hosts[0]?.reservations, [{ app: 'a', service: 's', member: '1', cpus: 0, memoryBytes: 0 }]);
  const carried = initialInfraState({ name: 'i', hosts: [] }, legacy.state);
  assert.ok(carried.ok);
  assert.equal(carried.state, legacy.state);
});

test('blueprint placement: empty lists and maps are left out, the rest maps onto scheduler names', () => {
  assert.deepEqual(placementOptions({}, { strategies: [], constraints: { labels: {}, regions: [], zones: [] } }), {});
  assert.deepEqual(
    placementOptions(
      { cpus: 0.5, memoryBytes: 1024 },
      { strategies: ['least-cpu', 'random'], constraints: { labels: { disk: 'ssd' }, regions: ['eu'], zones: [], maxPerHost: 1, predicate: 'cpus >= 4' } },
    ),
    {
      resources: { cpus: 0.5, memoryBytes: 1024 },
      constraints: { requiredLabels: { disk: 'ssd' }, regions: ['eu'], maxPerHost: 1, predicate: 'cpus >= 4' },
      strategy: ['least-cpu', 'random'],
    },
  );
});
