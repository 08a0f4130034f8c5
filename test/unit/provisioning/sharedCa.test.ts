import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretNotFoundError } from '../../../activities/errors';
import { clientCertFolder } from '../../../activities/provisioning/certFolder';
import { ensureCa, ensureServerCert } from '../../../activities/provisioning/certificates';
import { hostStepActivities } from '../../../activities/provisioning/hostSteps';
import { certRefInfrastructure, derivedCaKeyPem, logicalCertRef } from '../../../activities/provisioning/sharedCa';
import { tlsFolder } from '../../../activities/provisioning/tlsFolder';
import type { SecretStore } from '../../../activities/secrets/secretStore';

const SEED = 'a-seed-every-worker-holds-0123456789';
const withSeed: SecretStore = (name) => {
  if (name === 'clocker-ca-seed') return SEED;
  throw new SecretNotFoundError(name, 'X', '/x');
};
const noSeed: SecretStore = (name) => {
  throw new SecretNotFoundError(name, 'X', '/x');
};
const home = () => mkdtempSync(join(tmpdir(), 'clocker-ca-'));
const publicPem = (keyPem: string) => createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();

test('the CA key is derived from the seed and the infrastructure: the same on every worker, another per infrastructure', () => {
  assert.equal(derivedCaKeyPem(SEED, 'lab'), derivedCaKeyPem(SEED, 'lab'));
  assert.notEqual(derivedCaKeyPem(SEED, 'lab'), derivedCaKeyPem(SEED, 'prod'));
  assert.notEqual(derivedCaKeyPem(SEED, 'lab'), derivedCaKeyPem(`${SEED}x`, 'lab'));
  assert.match(derivedCaKeyPem(SEED, 'lab'), /^-----BEGIN PRIVATE KEY-----/);
});

test("two workers with the seed make the same CA: a host certificate from one verifies under the other's CA and client certificate", () => {
  const a = tlsFolder('lab', home());
  const b = home();
  ensureCa('lab', a, SEED);
  const server = ensureServerCert(a, 'h1', ['192.0.2.10', 'h1']);
  // Worker B has nothing on disk: the logical reference is remade there.
  const folderB = clientCertFolder(logicalCertRef('lab'), withSeed, b);
  assert.equal(folderB, tlsFolder('lab', b).client.dir);
  assert.equal(publicPem(readFileSync(tlsFolder('lab', b).ca.key, 'utf8')), publicPem(readFileSync(a.ca.key, 'utf8')));
  // The daemon (CA file from worker A) accepts worker B's client certificate...
  execFileSync('openssl', ['verify', '-CAfile', a.ca.cert, join(folderB, 'cert.pem')], { stdio: 'pipe' });
  // ...and worker B (its own CA file) accepts the host's certificate made by worker A.
  const serverFile = a.host('h1').cert;
  assert.ok(server.certPem.length > 0);
  execFileSync('openssl', ['verify', '-CAfile', join(folderB, 'ca.pem'), serverFile], { stdio: 'pipe' });
});

test('a folder path an earlier release stored, missing on this worker, is remade for its infrastructure', () => {
  assert.equal(certRefInfrastructure('/root/.clocker/infra/lab/tls/client'), 'lab');
  assert.equal(certRefInfrastructure('clocker-tls:lab'), 'lab');
  assert.equal(certRefInfrastructure('/somewhere/else'), undefined);
  const b = home();
  assert.equal(clientCertFolder('/elsewhere/.clocker/infra/lab/tls/client', withSeed, b), tlsFolder('lab', b).client.dir);
  const existing = tlsFolder('lab', b).client.dir;
  assert.equal(clientCertFolder(existing, noSeed, home()), existing, 'an existing folder is used as it is');
});

test('without the seed: a logical reference is an error naming the secret; a missing path is passed on as it was', () => {
  assert.throws(() => clientCertFolder('clocker-tls:lab', noSeed, home()), /no CA seed \(the secret clocker-ca-seed\)/);
  assert.equal(clientCertFolder('/gone/infra/lab/tls/client', noSeed, home()), '/gone/infra/lab/tls/client');
});

test('ensureInfraCertificates: the logical reference with a seed (no path, no key), the folder without', async () => {
  const h = home();
  assert.equal(await hostStepActivities(withSeed, h).ensureInfraCertificates('lab'), 'clocker-tls:lab');
  const plain = home();
  assert.equal(await hostStepActivities(noSeed, plain).ensureInfraCertificates('lab'), tlsFolder('lab', plain).client.dir);
  // Without a seed the CA is random: two workers would make two different ones.
  const other = tlsFolder('lab', home());
  ensureCa('lab', other);
  assert.notEqual(publicPem(readFileSync(other.ca.key, 'utf8')), publicPem(readFileSync(tlsFolder('lab', plain).ca.key, 'utf8')));
});
