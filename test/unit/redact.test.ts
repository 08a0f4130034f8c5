import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, secretValues } from '../../activities/secrets/redact';

test('secret values come from the env entries the label names, never from others', () => {
  const labels = { 'io.clocker.secret-env': 'DB_PASSWORD,TOKEN' };
  const env = ['PATH=/bin', 'DB_PASSWORD=s3cr=t!', 'TOKEN=abcd1234', 'USER=app'];
  assert.deepEqual(secretValues(labels, env), ['s3cr=t!', 'abcd1234']);
  assert.deepEqual(secretValues({}, env), []);
  assert.deepEqual(secretValues(undefined, undefined), []);
});

test('redaction replaces every occurrence, longest secret first, and leaves short values alone', () => {
  assert.equal(redact('pw=s3cr=t! again s3cr=t!', ['s3cr=t!']), 'pw=*** again ***');
  assert.equal(redact('token abcd1234xyz', ['abcd1234', 'abcd1234xyz']), 'token ***');
  assert.equal(redact('a b c', ['b']), 'a b c');
  assert.equal(redact('no secrets here', []), 'no secrets here');
});
