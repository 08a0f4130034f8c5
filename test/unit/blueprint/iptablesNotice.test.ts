// `addIptablesRules: true` is never silently ignored: the loader says at its position what the
// rules do and what hosts they need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlueprint } from '../../../domain/blueprint/load';
import { example } from './helpers';

test("the seed's addIptablesRules: true gets one notice at its line, saying what Clocker does for it", () => {
  const text = example('network-seed.yaml');
  const line = text.split('\n').findIndex((l) => l.includes('addIptablesRules: true')) + 1;
  const result = loadBlueprint(text, 'network-seed.yaml');
  assert.ok(result.ok);
  const notices = result.warnings.filter((w) => w.code === 'network-isolation');
  assert.equal(notices.length, 1, JSON.stringify(result.warnings));
  assert.equal(notices[0]?.line, line);
  assert.match(notices[0]?.message ?? '', /^addIptablesRules: true: Clocker puts iptables rules on each host \(chain CLOCKER-ISOLATION, from DOCKER-USER\)/);
});

test('without the field, no such notice', () => {
  const result = loadBlueprint(example('web-cluster.yaml'), 'web-cluster.yaml');
  assert.ok(result.ok);
  assert.deepEqual(result.warnings.filter((w) => w.code === 'network-isolation'), []);
});
