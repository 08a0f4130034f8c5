// Correcting a host's address on a running infrastructure (the local one recorded 127.0.0.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostAddressProblem, setHostAddress } from '../../domain/infra/hostAddress';
import { newHostEntry } from '../../domain/infra/hostView';
import type { InfraState } from '../../domain/infra/model';

function state(): InfraState {
  const record = { id: 'local', address: '127.0.0.1', docker: { kind: 'socket' as const, socketPath: '/var/run/docker.sock' }, status: 'AVAILABLE' as const, labels: {}, maxContainers: 100 };
  return { hosts: [newHostEntry(record)] } as unknown as InfraState;
}

test('a known host takes its new address', () => {
  const s = state();
  assert.equal(hostAddressProblem(s, { hostId: 'local', address: '172.17.0.1' }), undefined);
  setHostAddress(s, { hostId: 'local', address: '172.17.0.1' });
  assert.equal(s.hosts[0]?.record.address, '172.17.0.1');
});

test('an unknown host or a malformed address is refused, saying why', () => {
  assert.equal(hostAddressProblem(state(), { hostId: 'h9', address: '10.0.0.1' }), 'no host "h9" (hosts: local)');
  assert.equal(hostAddressProblem(state(), { hostId: 'local', address: 'a b' }), 'address must be a host name or IP address, got "a b"');
  assert.equal(hostAddressProblem(state(), null), 'a host address change must be an object, got null');
});
