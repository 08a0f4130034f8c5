import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, secretForms, secretValues } from '../../activities/secrets/redact';
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

test('each common encoding of a secret is redacted: URL, base64 (plain, url-safe, unpadded), hex, JSON-escaped, reversed', () => {
  const secret = 'p@ss w/rd+"quoted"~Zürich';
  const forms = secretForms(secret);
  const printed = [
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
    Buffer.from(secret).toString('hex').toUpperCase(),
    JSON.stringify({ pw: secret }),
    [...secret].reverse().join(''),
  ];
  for (const line of printed) {
    const out = redact(`before ${line} after`, [secret]);
    assert.match(out, /^before .*\*\*\*.* after$/, line);
    for (const form of forms) assert.ok(!out.includes(form), `${form} left in ${out}`);
    assert.ok(!/p@ss|w\/rd|cXVvdGVk|7040737/.test(out), out);
  }
});

test('any fragment of 8 characters or more is redacted (a value cut short or split across lines); shorter ones stay', () => {
  const secret = 'correct-horse-battery-staple';
  assert.equal(redact('token: correct-horse-batt…', [secret]), 'token: ***…');
  assert.equal(redact('a battery-staple b', [secret]), 'a *** b');
  assert.equal(redact('line1 correct-h\norse-battery', [secret]), 'line1 ***\n***', 'each part of 8 or more goes, on both sides of the break');
  assert.equal(redact('horse and battery', [secret]), 'horse and battery', 'ordinary words shorter than 8 stay');
  const b64 = Buffer.from(secret).toString('base64');
  assert.equal(redact(`cut ${b64.slice(0, 12)} end`, [secret]), 'cut *** end');
  assert.equal(redact('hex 636f72726563742d686f end', [secret]), 'hex *** end');
});

test('short secrets (4 to 7 characters) are redacted whole, with their forms; text without secrets is returned as is', () => {
  assert.equal(redact('pin=4711x, rev=x1174', ['4711x']), 'pin=***, rev=***');
  assert.equal(redact(`b64=${Buffer.from('4711x').toString('base64')}`, ['4711x']), 'b64=***');
  assert.equal(redact('nothing here', []), 'nothing here');
});
