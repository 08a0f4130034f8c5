// A running application deployed before default networks existed cannot take a new version
// that adds one: the deploy is refused with what to do, not the generic network message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultNetworkSpec, gainsDefaultNetwork } from '../../domain/blueprint/build/defaultNetwork';
import type { NetworkSpec } from '../../domain/blueprint/model';
import { validateNextBlueprint } from '../../workflows/blueprintValidation';
import { blueprint, serviceSpec } from '../support/specs';

const backend: NetworkSpec = { id: 'backend', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} };

test('only the default network added counts as gaining it', () => {
  assert.equal(gainsDefaultNetwork([], [defaultNetworkSpec()]), true);
  assert.equal(gainsDefaultNetwork([backend], [backend, defaultNetworkSpec()]), true);
  assert.equal(gainsDefaultNetwork([backend], [defaultNetworkSpec()]), false);
  assert.equal(gainsDefaultNetwork([defaultNetworkSpec()], [defaultNetworkSpec()]), false);
});

test('a new version of an application deployed before default networks is refused, saying to destroy and deploy again', () => {
  const old = blueprint('shop', [serviceSpec({ id: 'web', image: 'web:1' })]);
  const next = blueprint('shop', [serviceSpec({ id: 'web', image: 'web:2', networks: [{ network: 'default', aliases: [] }] })]);
  next.networks = [defaultNetworkSpec()];
  assert.throws(() => validateNextBlueprint(old, next), {
    message: '"shop" was deployed before applications had a default network (services that name no network now join "default"); destroy it and deploy it again',
  });
  const other = { ...next, networks: [backend] };
  assert.throws(() => validateNextBlueprint(old, other), { message: 'changing the networks of a running application is not supported yet; destroy and deploy it again' });
});
