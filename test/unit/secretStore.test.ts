import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretNotFoundError } from '../../activities/errors';
import { createSecretStore, envVarFor } from '../../activities/secrets/secretStore';

test('a secret comes from CLOCKER_SECRET_<NAME> first, then from a file in the secrets folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  writeFileSync(join(dir, 'db-password'), 'from-file\n');
  writeFileSync(join(dir, 'api.key'), 'key-file');
  const store = createSecretStore({ CLOCKER_SECRETS_DIR: dir, CLOCKER_SECRET_API_KEY: 'from-env' });
  assert.equal(envVarFor('api.key'), 'CLOCKER_SECRET_API_KEY');
  assert.equal(store('api.key'), 'from-env');
  assert.equal(store('db-password'), 'from-file');
});

test('a missing secret says where it was looked for; a name never escapes the folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  const store = createSecretStore({ CLOCKER_SECRETS_DIR: dir });
  assert.throws(() => store('nope'), (err: unknown) => {
    assert.ok(err instanceof SecretNotFoundError);
    assert.equal(err.message, `secret "nope" is not set: define CLOCKER_SECRET_NOPE for the worker, or write it to ${join(dir, 'nope')}`);
    return true;
  });
  assert.throws(() => store('../etc/passwd'), SecretNotFoundError);
});
