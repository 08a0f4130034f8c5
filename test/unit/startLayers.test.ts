import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLayers } from '../../domain/application/startLayers';

test('services start after everything they depend on, independent ones together', () => {
  const layers = startLayers([
    { id: 'lb', dependsOn: ['web'] },
    { id: 'web', dependsOn: ['db', 'cache'] },
    { id: 'db', dependsOn: [] },
    { id: 'cache', dependsOn: [] },
  ]);
  assert.deepEqual(layers, [['cache', 'db'], ['web'], ['lb']]);
});

test('a cycle is refused, naming the services in it', () => {
  assert.throws(
    () => startLayers([{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: [] }]),
    /dependency cycle among: a, b/,
  );
});
