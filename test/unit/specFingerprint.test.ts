import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memberPlacement } from '../../domain/application/memberPlacement';
import { specFingerprint } from '../../domain/application/specFingerprint';
import { serviceSpec } from '../support/specs';

test('a spec fingerprint ignores the size and key order, and changes with anything members are made from', () => {
  const base = serviceSpec({ id: 'web', image: 'web:1', env: { A: '1', B: '2' } });
  assert.match(specFingerprint(base), /^[0-9a-f]{16}$/);
  assert.equal(specFingerprint({ ...base, count: 5, size: { initial: 5, min: 1, max: 9 } }), specFingerprint(base));
  assert.equal(specFingerprint({ ...base, env: { B: '2', A: '1' } }), specFingerprint(base));
  assert.notEqual(specFingerprint({ ...base, image: 'web:2' }), specFingerprint(base));
  assert.notEqual(specFingerprint({ ...base, env: { A: '1', B: '3' } }), specFingerprint(base));
});

test('a fixed host port implies one member per host unless the blueprint says otherwise', () => {
  const published = serviceSpec({ id: 'lb', image: 'lb:1', ports: [{ containerPort: 80, hostPort: 8000, protocol: 'tcp' }] });
  assert.equal(memberPlacement(published).constraints.maxPerHost, 1);
  const anyPort = serviceSpec({ id: 'web', image: 'web:1', ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] });
  assert.equal(memberPlacement(anyPort).constraints.maxPerHost, undefined);
  const said = { ...published, placement: { ...published.placement, constraints: { ...published.placement.constraints, maxPerHost: 2 } } };
  assert.equal(memberPlacement(said).constraints.maxPerHost, 2);
});
