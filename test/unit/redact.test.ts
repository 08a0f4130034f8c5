import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, secretValues } from '../../activities/secrets/redact';
import { createSecretStore } from '../../activities/secrets/secretStore';
import { referencedSecrets } from '../../domain/blueprint/references/resolveValue';

test('the secrets a member was given are read from the store by name; one the store lacks has no value to hide', () => {
  const store = createSecretStore({ CLOCKER_SECRET_DB_PASSWORD: 's3cr=t!', CLOCKER_SECRET_TOKEN: 'abcd1234', CLOCKER_SECRETS_DIR: '/nonexistent' });
  assert.deepEqual(secretValues(['DB_PASSWORD', 'TOKEN', 'MISSING'], store), ['s3cr=t!', 'abcd1234']);
  assert.throws(() => secretValues(['X'], () => { throw new Error('disk on fire'); }), /disk on fire/, 'other failures are not hidden');
});

test('redaction replaces every occurrence, longest secret first, and leaves short values alone', () => {
  assert.equal(redact('pw=s3cr=t! again s3cr=t!', ['s3cr=t!']), 'pw=*** again ***');
  assert.equal(redact('token abcd1234xyz', ['abcd1234', 'abcd1234xyz']), 'token ***');
  assert.equal(redact('url postgres://app:s3cr=t!@db/x', ['s3cr=t!']), 'url postgres://app:***@db/x');
  assert.equal(redact('a b c', ['b']), 'a b c');
});

test('the secret names of a service come from its env templates, once each, sorted', () => {
  const env = {
    URL: { parts: [{ kind: 'text' as const, text: 'postgres://app:' }, { kind: 'secret' as const, name: 'PW' }, { kind: 'text' as const, text: '@db' }] },
    TOKEN: { parts: [{ kind: 'secret' as const, name: 'API' }] },
    AGAIN: { parts: [{ kind: 'secret' as const, name: 'PW' }] },
  };
  assert.deepEqual(referencedSecrets(Object.values(env)), ['API', 'PW']);
});
