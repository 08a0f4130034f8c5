// The infrastructure's rules for provisioned hosts: a failed host's members leave its books
// (and are returned for the services), drains, resize plans, key pinning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completeByonHost } from '../../domain/infraSpec/build';
import type { InfraState } from '../../domain/infra/model';
import { HostBooks } from '../../workflows/hostBooks';

function books(): HostBooks {
  const state: InfraState = { version: 1, hosts: [], ipam: { pools: [], subnets: {} } as unknown as InfraState['ipam'] };
  const b = new HostBooks(state);
  for (const id of ['h1', 'h2', 'h3']) b.addMachine(completeByonHost({ id, address: `10.0.0.${id.slice(1)}` }), 'active');
  b.addMachine(completeByonHost({ id: 'h4', address: '10.0.0.4' }), 'spare');
  for (const id of ['h1', 'h2', 'h3']) b.markReady({ hostId: id, docker: { kind: 'tcp', host: id, port: 2376, tls: { certRef: '/c' } }, cpus: 2, memoryBytes: 1e9, dockerVersion: '26.1.5' });
  return b;
}

const reserve = (b: HostBooks, hostId: string, app: string, service: string, member: string) =>
  b.entry(hostId)!.reservations.push({ app, service, member, cpus: 0, memoryBytes: 0 });

test('new active machines wait in PROVISIONING; hostReady makes them AVAILABLE with capacity', () => {
  const b = books();
  b.addMachine(completeByonHost({ id: 'h5', address: '10.0.0.5' }), 'active');
  assert.equal(b.entry('h5')!.record.status, 'PROVISIONING');
  assert.deepEqual([b.entry('h1')!.record.status, b.entry('h1')!.record.cpus, b.entry('h1')!.record.docker.kind], ['AVAILABLE', 2, 'tcp']);
  assert.equal(b.entry('h4'), undefined, 'a spare is not in the scheduler');
  assert.deepEqual(b.addMachine(completeByonHost({ id: 'h9', address: '10.0.0.1' }), 'active'), { ok: false, reason: 'address 10.0.0.1 is already used' });
});

test('a failed host: FAILED with the reason, its members gone from its books and returned per service', () => {
  const b = books();
  reserve(b, 'h2', 'shop', 'web', '1');
  reserve(b, 'h2', 'shop', 'web', '3');
  reserve(b, 'h2', 'shop', 'db', '1');
  reserve(b, 'h1', 'shop', 'web', '2');
  const released = b.markFailed('h2', '3 probes failed in a row');
  assert.deepEqual(released, [
    { app: 'shop', service: 'web', members: ['1', '3'] },
    { app: 'shop', service: 'db', members: ['1'] },
  ]);
  assert.deepEqual(b.entry('h2')!.reservations, []);
  assert.deepEqual([b.entry('h2')!.record.status, b.entry('h2')!.record.problem], ['FAILED', '3 probes failed in a row']);
  assert.equal(b.membersOn('h1'), 1, 'other hosts keep theirs');
});

test('a host key is pinned on first use only', () => {
  const b = books();
  b.pinHostKey('h1', 'SHA256:first');
  b.pinHostKey('h1', 'SHA256:second');
  assert.equal(b.machine('h1')!.pinnedHostKey, 'SHA256:first');
});

test('resize: up takes spares in order; down drains FAILED first, then the emptiest', () => {
  const b = books();
  assert.deepEqual(b.planResize(5), { provision: ['h4'], drain: [] });
  reserve(b, 'h1', 'a', 's', '1');
  b.markFailed('h3', 'x');
  assert.deepEqual(b.planResize(1), { provision: [], drain: ['h3', 'h2'] });
});

test('removeHost drains then forgets; a resize drain keeps the machine as a spare', () => {
  const b = books();
  reserve(b, 'h1', 'a', 's', '1');
  assert.deepEqual(b.startDrain('h1', 'forget'), [{ app: 'a', service: 's', members: ['1'] }]);
  assert.equal(b.entry('h1')!.record.status, 'DRAINING');
  assert.deepEqual(b.draining(), ['h1']);
  assert.deepEqual(b.releaseAll('h1'), [{ app: 'a', service: 's', members: ['1'] }]);
  b.finishDrain('h1');
  assert.equal(b.entry('h1'), undefined);
  assert.equal(b.machine('h1'), undefined);
  b.startDrain('h2', 'spare');
  b.finishDrain('h2');
  assert.equal(b.entry('h2'), undefined);
  assert.deepEqual([b.machine('h2')!.role, b.machine('h2')!.afterDrain], ['spare', undefined]);
});
