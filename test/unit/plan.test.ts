import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planChanges, planText } from '../../domain/application/plan';
import { blueprint, serviceSpec } from '../support/specs';

const v1 = blueprint('shop', [
  serviceSpec({ id: 'db', image: 'db:1' }),
  serviceSpec({ id: 'web', image: 'web:1', count: 3, env: { A: '1', B: '2' } }),
  serviceSpec({ id: 'cache', image: 'cache:1' }),
]);

test('the plan names services added, removed, changed (with fields) and resized', () => {
  const v2 = blueprint('shop', [
    serviceSpec({ id: 'db', image: 'db:1' }),
    serviceSpec({ id: 'web', image: 'web:2', count: 5, env: { B: '2', A: '1' } }),
    serviceSpec({ id: 'lb', image: 'lb:1', count: 2 }),
  ]);
  assert.equal(
    planText(planChanges(v1, v2)),
    ['shop: 4 changes', '- cache: remove', '~ web: rolling update (image)', '~ web: resize 3 -> 5', '+ lb: add (2 members)'].join('\n'),
  );
});

test('the same blueprint, keys in another order, is no change', () => {
  assert.equal(planText(planChanges(v1, structuredClone(v1))), 'shop: no changes');
});

test('a change of settings only (update, reload, policies) keeps the members; with anything else it rolls', () => {
  const settings = blueprint('shop', [
    serviceSpec({ id: 'db', image: 'db:1', update: { batch: 2 } }),
    serviceSpec({ id: 'web', image: 'web:1', count: 3, env: { A: '1', B: '2' }, policies: { restarter: { maxRestarts: 3, windowMs: 60_000 } } }),
    serviceSpec({ id: 'cache', image: 'cache:2', update: { batch: 1, order: 'stop-first' } }),
  ]);
  assert.equal(
    planText(planChanges(v1, settings)),
    ['shop: 3 changes', '~ db: new settings, members kept (update)', '~ web: new settings, members kept (policies)', '~ cache: rolling update (image, update)'].join('\n'),
  );
});
