import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { temporalConfig } from '../../client/temporal/config';
import { connectionOptions } from '../../client/temporal/connect';

const dir = mkdtempSync(join(tmpdir(), 'clocker-config-'));
const toml = join(dir, 'temporal.toml');
writeFileSync(
  toml,
  [
    '[profile.default]',
    'address = "profile.example:7233"',
    'namespace = "from-profile"',
    '[profile.default.tls]',
    `client_cert_path = "${join(dir, 'p.crt')}"`,
    `client_key_path = "${join(dir, 'p.key')}"`,
    'server_name = "profile-name"',
    '[profile.plain]',
    'address = "plain.example:7233"',
    '[profile.keyed]',
    'address = "cloud.example:7233"',
    'api_key = "profile-key"',
    '',
  ].join('\n'),
);
// No file (a folder with no temporal.toml): only the environment counts.
const noFile = { XDG_CONFIG_HOME: dir, HOME: dir };

test('with nothing set: the embedded default, plaintext', () => {
  assert.deepEqual(temporalConfig(noFile), { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'clocker' });
});

test('flags win over Clocker variables, which win over Temporal variables, which win over the profile file', () => {
  const env = { ...noFile, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_ADDRESS: 'temporal-env:7233', TEMPORAL_NAMESPACE: 'temporal-ns' };
  assert.equal(temporalConfig({ TEMPORAL_CONFIG_FILE: toml, ...noFile }).address, 'profile.example:7233');
  assert.equal(temporalConfig(env).address, 'temporal-env:7233');
  assert.equal(temporalConfig(env).namespace, 'temporal-ns');
  const clocker = { ...env, CLOCKER_TEMPORAL_ADDRESS: 'clocker-env:7233', CLOCKER_NAMESPACE: 'clocker-ns' };
  assert.equal(temporalConfig(clocker).address, 'clocker-env:7233');
  assert.equal(temporalConfig(clocker).namespace, 'clocker-ns');
  const flagged = temporalConfig(clocker, { address: 'flag:7233', namespace: 'flag-ns' });
  assert.equal(flagged.address, 'flag:7233');
  assert.equal(flagged.namespace, 'flag-ns');
});

test("a profile's mTLS settings come through, and Clocker's TLS variables replace them one by one", () => {
  const fromProfile = temporalConfig({ ...noFile, TEMPORAL_CONFIG_FILE: toml });
  assert.deepEqual(fromProfile.tls, { clientCert: { path: join(dir, 'p.crt') }, clientKey: { path: join(dir, 'p.key') }, serverName: 'profile-name' });
  const mixed = temporalConfig({ ...noFile, TEMPORAL_CONFIG_FILE: toml, CLOCKER_TEMPORAL_TLS_CA: '/ca.pem', CLOCKER_TEMPORAL_TLS_SERVER_NAME: 'frontend' });
  assert.deepEqual(mixed.tls, { clientCert: { path: join(dir, 'p.crt') }, clientKey: { path: join(dir, 'p.key') }, serverCa: { path: '/ca.pem' }, serverName: 'frontend' });
  const flags = temporalConfig({ ...noFile, TEMPORAL_CONFIG_FILE: toml }, { tlsCert: '/c.crt', tlsKey: '/c.key' });
  assert.deepEqual(flags.tls?.clientCert, { path: '/c.crt' });
  assert.deepEqual(flags.tls?.clientKey, { path: '/c.key' });
});

test('TEMPORAL_PROFILE (or the profile override) picks another profile; an unknown one is an error naming it', () => {
  const env = { ...noFile, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'plain' };
  assert.deepEqual(temporalConfig(env), { address: 'plain.example:7233', namespace: 'default', taskQueue: 'clocker' });
  assert.equal(temporalConfig({ ...noFile, TEMPORAL_CONFIG_FILE: toml }, { profile: 'plain' }).address, 'plain.example:7233');
  assert.throws(() => temporalConfig({ ...env, TEMPORAL_PROFILE: 'nope' }), /Profile 'nope' not found/);
});

test('an API key turns TLS on (as Temporal does); Clocker’s variable wins over the profile’s key', () => {
  const keyed = temporalConfig({ ...noFile, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'keyed' });
  assert.equal(keyed.apiKey, 'profile-key');
  assert.deepEqual(keyed.tls, {});
  assert.equal(temporalConfig({ ...noFile, TEMPORAL_API_KEY: 'env-key', CLOCKER_TEMPORAL_API_KEY: 'clocker-key' }).apiKey, 'clocker-key');
  assert.equal(temporalConfig({ ...noFile, TEMPORAL_API_KEY: 'env-key' }).apiKey, 'env-key');
});

test('TLS with no material: --tls / CLOCKER_TEMPORAL_TLS=1; TEMPORAL_TLS=false in the profile layer keeps it off', () => {
  assert.deepEqual(temporalConfig(noFile, { tls: true }).tls, {});
  assert.deepEqual(temporalConfig({ ...noFile, CLOCKER_TEMPORAL_TLS: '1' }).tls, {});
  assert.equal(temporalConfig({ ...noFile, TEMPORAL_TLS: 'false' }).tls, undefined);
  assert.equal(temporalConfig({ ...noFile, CLOCKER_TEMPORAL_TLS: '0' }).tls, undefined);
});

test('a client certificate without its key (or the reverse) is refused, naming both ways to give them', () => {
  assert.throws(() => temporalConfig({ ...noFile, CLOCKER_TEMPORAL_TLS_CERT: '/c.crt' }), /got only the certificate.*--tls-cert\/--tls-key/);
  assert.throws(() => temporalConfig(noFile, { tlsKey: '/c.key' }), /got only the key/);
});

test('connection options read the TLS files and name a missing one', () => {
  writeFileSync(join(dir, 'c.crt'), 'CERT');
  writeFileSync(join(dir, 'c.key'), 'KEY');
  writeFileSync(join(dir, 'ca.pem'), 'CA');
  const config = temporalConfig(noFile, { address: 'h:1', tlsCert: join(dir, 'c.crt'), tlsKey: join(dir, 'c.key'), tlsCa: join(dir, 'ca.pem'), tlsServerName: 'fe' });
  const options = connectionOptions(config);
  assert.equal(options.address, 'h:1');
  assert.equal(options.tls?.serverNameOverride, 'fe');
  assert.equal(Buffer.from(options.tls?.serverRootCACertificate ?? []).toString(), 'CA');
  assert.equal(Buffer.from(options.tls?.clientCertPair?.crt ?? []).toString(), 'CERT');
  assert.equal(Buffer.from(options.tls?.clientCertPair?.key ?? []).toString(), 'KEY');
  assert.equal(connectionOptions(temporalConfig(noFile)).tls, undefined);
  assert.throws(() => connectionOptions(temporalConfig(noFile, { tlsCa: join(dir, 'missing.pem') })), /server CA: cannot read .*missing\.pem/);
});
