// The infrastructure workflow's state class, driven directly: placement commits all or
// nothing, retries are idempotent, releases free room, and IPAM goes through the same books.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialInfraState } from '../../domain/infra/initialState';
import type { HostRecord, InfrastructureSpec } from '../../domain/infra/model';
import { InfrastructureState } from '../../workflows/infrastructureState';

function host(id: string, fields: Partial<HostRecord> = {}): HostRecord {
  return { id, address: `10.0.0.${id.slice(1)}`, docker: { kind: 'tcp', host: id, port: 2375 }, status: 'AVAILABLE', labels: {}, maxContainers: 2, ...fields };
}

function stateOf(spec: InfrastructureSpec): InfrastructureState {
  const initial = initialInfraState(spec);
  if (!initial.ok) throw new Error(initial.problem);
  return new InfrastructureState(spec.name, initial.state);
}

test('a batch is placed with host addresses and Docker endpoints, and shows in the bookings', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1'), host('h2')] });
  const out = infra.place({ app: 'a', service: 's', members: ['1', '2'] }, 'seed');
  assert.ok(out.ok);
  assert.deepEqual(out.assignments.map((a) => `${a.member}@${a.host.id}`).sort(), ['1@h1', '2@h2']);
  assert.deepEqual(out.assignments[0]?.host.docker, { kind: 'tcp', host: out.assignments[0]?.host.id, port: 2375 });
  assert.equal(infra.view().bookings.length, 2);
});

test('placing again returns the same hosts and books nothing new (idempotent)', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1'), host('h2')] });
  const first = infra.place({ app: 'a', service: 's', members: ['1', '2'] }, 'one');
  const again = infra.place({ app: 'a', service: 's', members: ['1', '2'] }, 'two');
  assert.deepEqual(again, first);
  assert.equal(infra.view().bookings.length, 2);
});

test('all or nothing: a batch that does not fit books nothing and says why per filter', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1', { maxContainers: 1, labels: { region: 'us' } }), host('h2', { status: 'FAILED' }), host('h3', { labels: { region: 'eu' } })] });
  const out = infra.place({ app: 'a', service: 's', members: ['1', '2'], constraints: { requiredLabels: { region: 'us' } } }, 'seed');
  assert.deepEqual(out, {
    ok: false,
    reason: 'no host fits member 2 of a/s (placed 1 of 2): 3 hosts: 1 unhealthy (FAILED), 1 missing label region=us, 1 over maxContainers=1',
  });
  assert.equal(infra.view().bookings.length, 0);
});

test('resources are reserved and limit later batches; undeclared capacity never blocks', () => {
  const GiB = 1024 ** 3;
  const infra = stateOf({ name: 'i', hosts: [host('h1', { cpus: 2, memoryBytes: 4 * GiB, maxContainers: 10 }), host('h2', { maxContainers: 10 })] });
  const sized = { app: 'a', service: 's', resources: { cpus: 1, memoryBytes: GiB }, constraints: { requiredLabels: {} } };
  assert.ok(infra.place({ ...sized, members: ['1', '2', '3', '4'], strategy: ['depth-first'] }, 'x').ok);
  const hosts = infra.view().hosts;
  assert.deepEqual(hosts.map((h) => [h.id, h.reserved.containers, h.reserved.cpus]), [['h1', 2, 2], ['h2', 2, 2]]);
  assert.deepEqual(hosts.map((h) => h.capacity), [
    { cpus: 2, memoryBytes: 4 * GiB, maxContainers: 10 },
    { cpus: null, memoryBytes: null, maxContainers: 10 },
  ]);
});

test('a predicate constraint filters hosts by their attributes', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1', { cpus: 4 }), host('h2', { cpus: 16, labels: { disk: 'ssd' } })] });
  const out = infra.place({ app: 'a', service: 's', members: ['1', '2'], constraints: { predicate: 'cpus >= 8 and labels.disk == "ssd"', maxPerHost: 2 } }, 'x');
  assert.ok(out.ok);
  assert.deepEqual(out.assignments.map((a) => a.host.id), ['h2', 'h2']);
});

test('release frees named members or the whole service, and counts what it freed', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1', { maxContainers: 5 })] });
  infra.place({ app: 'a', service: 's', members: ['1', '2', '3'] }, 'x');
  infra.place({ app: 'a', service: 't', members: ['1'] }, 'x');
  assert.equal(infra.release({ app: 'a', service: 's', members: ['2', '9'] }), 1);
  assert.equal(infra.release({ app: 'a', service: 's' }), 2);
  assert.equal(infra.release({ app: 'a', service: 's' }), 0);
  assert.deepEqual(infra.view().bookings, [{ app: 'a', service: 't', member: '1', hostId: 'h1' }]);
});

test('subnets come from the configured pools, addresses from the subnet, and both show in the view', () => {
  const infra = stateOf({ name: 'i', hosts: [], pools: [{ id: 'lab', cidr: '10.9.0.0/16', subnetPrefixLength: 28 }] });
  const subnet = infra.allocateSubnet({ owner: 'shop/default' });
  assert.deepEqual(subnet, { ok: true, value: { id: '10.9.0.0/28', cidr: '10.9.0.0/28', family: 4, prefixLength: 28, pool: 'lab', owner: 'shop/default', gateway: '10.9.0.1' } });
  const a = infra.allocateAddress({ subnetId: '10.9.0.0/28', owner: 'web.1' });
  const b = infra.allocateAddress({ subnetId: '10.9.0.0/28', owner: 'web.2', address: '10.9.0.9' });
  assert.deepEqual([a, b], [
    { ok: true, value: { subnetId: '10.9.0.0/28', address: '10.9.0.2', static: false } },
    { ok: true, value: { subnetId: '10.9.0.0/28', address: '10.9.0.9', static: true } },
  ]);
  const [view] = infra.view().subnets;
  assert.equal(view?.used, 2);
  assert.equal(view?.capacity, 13);
  assert.deepEqual(view?.addresses, [
    { address: '10.9.0.2', owner: 'web.1', static: false },
    { address: '10.9.0.9', owner: 'web.2', static: true },
  ]);
  assert.deepEqual(infra.releaseAddress({ subnetId: '10.9.0.0/28', owner: 'web.1' }), { released: '10.9.0.2' });
  assert.deepEqual(infra.releaseAddress({ subnetId: '10.9.0.0/28', owner: 'web.1' }), { released: null });
  assert.equal(infra.releaseSubnet({ owner: 'shop/default' }).addresses, 1);
  assert.deepEqual(infra.releaseSubnet({ subnetId: '10.9.0.0/28' }), { released: null, addresses: 0 });
  assert.deepEqual(infra.view().subnets, []);
});

test('the state is plain JSON: a JSON round trip (history, continueAsNew) keeps every booking and address', () => {
  const infra = stateOf({ name: 'i', hosts: [host('h1')] });
  infra.place({ app: 'a', service: 's', members: ['1'] }, 'x');
  const subnet = infra.allocateSubnet({ owner: 'net' });
  assert.ok(subnet.ok);
  infra.allocateAddress({ subnetId: subnet.value.id, owner: 'm1' });
  const copy = new InfrastructureState('i', JSON.parse(JSON.stringify(infra.data)));
  assert.deepEqual(copy.view(), infra.view());
  const next = copy.allocateAddress({ subnetId: subnet.value.id, owner: 'm2' });
  assert.ok(next.ok && next.value.address !== '10.128.0.2');
});
