import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, UnknownPayloadKeyError } from '../../client/temporal/encryption/aesGcmCodec';
import { fromJson, startCodecServer, toJson } from '../../client/temporal/encryption/codecServer';
import { newKeyLine, parseKeyring } from '../../client/temporal/encryption/keyring';

const secret = { password: 'hunter2-very-secret', key: '-----BEGIN PRIVATE KEY-----\nMII...' };

test('a payload is sealed (no byte of the value readable, only the key id) and opens back to the same payload', async () => {
  const ring = parseKeyring(newKeyLine('k1'), 'test');
  const codec = new AesGcmCodec(ring);
  const payload = defaultPayloadConverter.toPayload(secret);
  const [sealed] = await codec.encode([payload]);
  assert.ok(sealed);
  const raw = Buffer.concat([...Object.values(sealed.metadata ?? {}).map((v) => Buffer.from(v ?? [])), Buffer.from(sealed.data ?? [])]).toString('latin1');
  assert.ok(!raw.includes('hunter2'), 'the secret is not in the sealed payload');
  assert.ok(!raw.includes('BEGIN'), 'the private key marker is not in the sealed payload');
  assert.ok(!raw.includes('json/plain'), 'the inner encoding is sealed too');
  assert.equal(Buffer.from(sealed.metadata?.['encryption-key-id'] ?? []).toString(), 'k1');
  const [opened] = await codec.decode([sealed]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), secret);
});

test('two seals of one value differ (a fresh IV each time)', async () => {
  const codec = new AesGcmCodec(parseKeyring(newKeyLine('k1'), 'test'));
  const payload = defaultPayloadConverter.toPayload('same');
  const [a, b] = await codec.encode([payload, payload]);
  assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!));
});

test('rotation: a new active key on top; what the old key sealed still opens; a ring without that key names it', async () => {
  const old = newKeyLine('old');
  const oldCodec = new AesGcmCodec(parseKeyring(old, 'test'));
  const [byOld] = await oldCodec.encode([defaultPayloadConverter.toPayload('written before rotation')]);
  const rotated = new AesGcmCodec(parseKeyring(`${newKeyLine('new')}\n${old}\n`, 'test'));
  const [byNew] = await rotated.encode([defaultPayloadConverter.toPayload('after')]);
  assert.equal(Buffer.from(byNew!.metadata!['encryption-key-id']!).toString(), 'new');
  assert.equal(defaultPayloadConverter.fromPayload((await rotated.decode([byOld!]))[0]!), 'written before rotation');
  const newOnly = new AesGcmCodec(parseKeyring(newKeyLine('new'), 'test'));
  await assert.rejects(newOnly.decode([byOld!]), (err: unknown) => err instanceof UnknownPayloadKeyError && /"old"/.test(err.message));
});

test('a tampered payload or one relabelled to another key id fails to open', async () => {
  const ring = parseKeyring(`${newKeyLine('a')}\n${newKeyLine('b')}`, 'test');
  const codec = new AesGcmCodec(ring);
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
  const flipped = Buffer.from(sealed!.data!);
  flipped[20] = flipped[20]! ^ 1;
  await assert.rejects(codec.decode([{ ...sealed!, data: flipped }]), /auth/i);
  const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': new TextEncoder().encode('b') } };
  await assert.rejects(codec.decode([relabelled]), /auth/i);
});

test('payloads written before encryption was on pass through decode unchanged', async () => {
  const codec = new AesGcmCodec(parseKeyring(newKeyLine('k'), 'test'));
  const plain = defaultPayloadConverter.toPayload({ a: 1 });
  assert.deepEqual(await codec.decode([plain]), [plain]);
});

test('the keyring file: first key active; bad lines are refused with file:line', () => {
  const ring = parseKeyring(`# keys\n${newKeyLine('k2')}\n\n${newKeyLine('k1')}\n`, 'keys.txt');
  assert.equal(ring.active.id, 'k2');
  assert.deepEqual([...ring.byId.keys()], ['k2', 'k1']);
  assert.throws(() => parseKeyring('k1 c2hvcnQ=', 'keys.txt'), /keys\.txt:1: key "k1" is not 32 bytes/);
  assert.throws(() => parseKeyring(`${newKeyLine('k1')}\n${newKeyLine('k1')}`, 'keys.txt'), /keys\.txt:2: key id "k1" appears twice/);
  assert.throws(() => parseKeyring('# nothing\n', 'keys.txt'), /keys\.txt: no key/);
  assert.throws(() => parseKeyring('k/1 AAAA', 'keys.txt'), /keys\.txt:1: key id "k\/1"/);
});

test('the codec server decodes for an allowed origin (CORS preflight answered), refuses others and a missing token', async () => {
  const codec = new AesGcmCodec(parseKeyring(newKeyLine('k'), 'test'));
  const server = await startCodecServer({ codec, port: 0, corsOrigins: ['http://127.0.0.1:8233'], token: 't0k' });
  try {
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    const base = `http://127.0.0.1:${address.port}`;
    const preflight = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8233');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
    const foreign = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);

    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ secret: 'v' })]);
    const body = JSON.stringify({ payloads: [toJson(sealed!)] });
    const unauthorized = await fetch(`${base}/decode`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(unauthorized.status, 401);
    const decoded = await fetch(`${base}/decode`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:8233', authorization: 'Bearer t0k', 'x-namespace': 'default' },
    });
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8233');
    const { payloads } = (await decoded.json()) as { payloads: Parameters<typeof fromJson>[0][] };
    assert.deepEqual(defaultPayloadConverter.fromPayload(fromJson(payloads[0]!)), { secret: 'v' });
  } finally {
    await new Promise((r) => server.close(r));
  }
});
