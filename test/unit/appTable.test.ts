import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderApp } from '../../client/render/appTable';
import type { AppView } from '../../domain/application/status';

const view: AppView = {
  name: 'shop',
  location: 'rig',
  status: 'UPDATING',
  version: 2,
  lastEvent: 'lb: reload ran in 1 member',
  services: [
    {
      id: 'web',
      status: 'UPDATING',
      desired: 2,
      generation: 1,
      hostEndpoints: {},
      lastEvent: 'host h2 failed (gone): replaced member 2 with 3',
      members: [
        { member: '1', hostId: 'h1', hostAddress: '10.0.0.1', containerName: 'shop.web.1', containerId: '0123456789abcdef', state: 'DRAINING', generation: 1, networks: { tiers: '10.66.3.5' }, ports: [{ containerPort: 8080, protocol: 'tcp', boundHostPort: 32768 }] },
        { member: '3', hostId: 'h1', hostAddress: '10.0.0.1', containerName: 'shop.web.3', state: 'FAILED', error: 'exited 1', generation: 2, ports: [{ containerPort: 8080, protocol: 'tcp' }] },
      ],
      rollout: { seq: 1, generation: 2, outcome: 'ROLLED_BACK', message: 'update stopped and rolled back: member 3 on h1: exited 1' },
    },
  ],
};

test('status shows each member with its state, the rollback and what happened by itself', () => {
  const text = renderApp(view);
  assert.match(text, /^application shop on rig: UPDATING \(version 2\)/);
  assert.match(text, /web \(UPDATING\)[ │]+1 \(v1\)[ │]+h1[ │]+DRAINING[ │]+0123456789ab[ │]+tiers 10\.66\.3\.5[ │]+10\.0\.0\.1:32768->8080\/tcp/);
  assert.match(text, /FAILED: exited 1[ │]+shop\.web\.3[ │]+-[ │]+8080\/tcp/);
  assert.match(text, /\nrolled back: web: update stopped and rolled back: member 3 on h1: exited 1\n/);
  assert.match(text, /\nlast event: web: host h2 failed \(gone\): replaced member 2 with 3\nlast event: lb: reload ran in 1 member$/);
});
