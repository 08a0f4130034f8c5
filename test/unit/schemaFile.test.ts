import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blueprintJsonSchema } from '../../domain/blueprint';

test('the published schema file is the one the loader validates with (regenerate: clocker schema --out schema/blueprint.schema.json)', () => {
  const published = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'blueprint.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(published, blueprintJsonSchema());
});
