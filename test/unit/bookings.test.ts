import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bookMembers, releaseMembers } from '../../domain/infra/bookings';
import type { HostRecord } from '../../domain/infra/model';

function host(id: string, fields: Partial<HostRecord> = {}): HostRecord {
  return { id, address: `10.0.0.${id.slice(1)}`, docker: { kind: 'tcp', host: id, port: 2375 }, status: 'AVAILABLE', labels: {}, maxContainers: 2, ...fields };
}

test('members go to the host with the fewest containers, ties by id', () => {
  const out = bookMembers([host('h2'), host('h1')], [], { app: 'a', service: 's', members: ['1', '2', '3'] });
  assert.equal(out.ok, true);
  if (!out.ok) return;
  assert.deepEqual(out.assignments.map((a) => `${a.member}@${a.host.id}`), ['1@h1', '2@h2', '3@h1']);
});

test('booking again returns the same hosts and books nothing new (idempotent)', () => {
  const first = bookMembers([host('h1'), host('h2')], [], { app: 'a', service: 's', members: ['1', '2'] });
  assert.ok(first.ok);
  const again = bookMembers([host('h1'), host('h2')], first.bookings, { app: 'a', service: 's', members: ['1', '2'] });
  assert.ok(again.ok);
  assert.deepEqual(again.assignments, first.assignments);
  assert.equal(again.bookings.length, 2);
});

test('all or nothing: when room runs out, nothing is booked and the reason counts hosts', () => {
  const hosts = [host('h1', { maxContainers: 1 }), host('h2', { status: 'FAILED' })];
  const out = bookMembers(hosts, [], { app: 'a', service: 's', members: ['1', '2'] });
  assert.deepEqual(out, { ok: false, reason: '2 hosts: 1 not AVAILABLE, 1 at maxContainers' });
});

test('no hosts at all says so', () => {
  assert.deepEqual(bookMembers([], [], { app: 'a', service: 's', members: ['1'] }), { ok: false, reason: '0 hosts' });
});

test('release frees the named members, or the whole service', () => {
  const b = [
    { app: 'a', service: 's', member: '1', hostId: 'h1' },
    { app: 'a', service: 's', member: '2', hostId: 'h1' },
    { app: 'a', service: 't', member: '1', hostId: 'h1' },
  ];
  assert.deepEqual(releaseMembers(b, 'a', 's', ['2']).map((x) => `${x.service}.${x.member}`), ['s.1', 't.1']);
  assert.deepEqual(releaseMembers(b, 'a', 's').map((x) => `${x.service}.${x.member}`), ['t.1']);
});
