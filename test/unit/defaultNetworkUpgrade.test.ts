// A new version may add networks: an application deployed before default networks existed
// takes one that adds "default" (its services roll onto it). Changing or dropping a network it
// runs is refused, naming the network and what to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import type { NetworkSpec } from '../../domain/blueprint/model';
import { validateNextBlueprint } from '../../workflows/blueprintValidation';
import { blueprint, serviceSpec } from '../support/specs';

const backend: NetworkSpec = { id: 'backend', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} };

test('a version that adds the default network (or any new one) to a running application is accepted', () => {
  const old = blueprint('shop', [serviceSpec({ id: 'web', image: 'web:1' })]);
  const next = { ...blueprint('shop', [serviceSpec({ id: 'web', image: 'web:2', networks: [{ network: 'default', aliases: [] }] })]), networks: [defaultNetworkSpec()] };
  assert.doesNotThrow(() => validateNextBlueprint(old, next));
  const withBackend = { ...old, networks: [backend] };
  assert.doesNotThrow(() => validateNextBlueprint(withBackend, { ...next, networks: [backend, defaultNetworkSpec()] }));
});

test('changing or dropping a network the application runs is refused, naming it', () => {
  const old = { ...blueprint('shop', [serviceSpec({ id: 'web', image: 'web:1' })]), networks: [backend] };
  const message = 'changing or removing a network of a running application is not supported yet (backend); add a new network instead, or destroy and deploy it again';
  assert.throws(() => validateNextBlueprint(old, { ...old, networks: [] }), { message });
  assert.throws(() => validateNextBlueprint(old, { ...old, networks: [{ ...backend, cidr: '10.9.0.0/24' }] }), { message });
  // An application that never started has no networks yet: anything goes.
  assert.doesNotThrow(() => validateNextBlueprint(old, { ...old, networks: [] }, false));
});
