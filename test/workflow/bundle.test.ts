// The worker's bundler accepts workflows/: a stray Node or I/O import fails here, not at deploy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceBundle } from '../support/temporalEnv';

test('workflows/ bundles for the Temporal sandbox', async () => {
  const bundle = await sourceBundle();
  assert.ok(bundle.code.length > 10_000);
  for (const name of ['application', 'service', 'infrastructure']) assert.match(bundle.code, new RegExp(`function ${name}\\b`));
});
