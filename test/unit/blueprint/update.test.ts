// `update`: how a rolling update replaces members (batch size, order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, load, yaml } from './helpers';

test('update takes a batch and an order; absent, the service has no policy and the workflow decides', () => {
  const bp = load(yaml(`
    name: app
    services:
      - { id: web, image: i, count: 4, update: { batch: 2, order: start-first } }
      - { id: lb, image: i, update: { order: stop-first } }
      - { id: db, image: i }
  `));
  assert.deepEqual(bp.services.map((s) => s.update), [{ batch: 2, order: 'start-first' }, { batch: 1, order: 'stop-first' }, undefined]);
});

test('a batch below 1 and an unknown order are errors at their place', () => {
  const errors = errorsOf(yaml(`
    name: app
    services:
      - { id: web, image: i, update: { batch: 0, order: stop-frist } }
  `));
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(errors[0] ?? '', /^app\.yaml:3:43: error: services\[0\]\.update\.batch: must be at least 1/);
  assert.match(errors[1] ?? '', /^app\.yaml:3:53: error: services\[0\]\.update\.order: .*"stop-first"/);
});
