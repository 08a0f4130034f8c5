// `addIptablesRules: true` is never silently ignored: the loader says at its position that a
// deployment with it is refused (the application's preflight refuses it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlueprint } from '../../../domain/blueprint/load';
import { example } from './helpers';

test("the seed's addIptablesRules: true gets one notice at its line, saying the deployment is refused and why", () => {
  const text = example('network-seed.yaml');
  const line = text.split('\n').findIndex((l) => l.includes('addIptablesRules: true')) + 1;
  const result = loadBlueprint(text, 'network-seed.yaml');
  assert.ok(result.ok);
  const notices = result.warnings.filter((w) => w.code === 'unsupported-field');
  assert.equal(notices.length, 1, JSON.stringify(result.warnings));
  assert.equal(notices[0]?.line, line);
  assert.match(notices[0]?.message ?? '', /^a deployment with addIptablesRules: true is refused: Clocker makes no iptables rules of its own yet/);
});

test('without the field, no such notice', () => {
  const result = loadBlueprint(example('web-cluster.yaml'), 'web-cluster.yaml');
  assert.ok(result.ok);
  assert.deepEqual(result.warnings.filter((w) => w.code === 'unsupported-field'), []);
});
