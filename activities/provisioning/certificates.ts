// Certificates on the worker side. Each file is made in a scratch folder and renamed into
// place, so a worker killed half-way leaves either nothing or a whole file; an existing CA,
// client or server certificate (with the same SANs) is kept, so provisioning twice makes
// no second one. With a CA seed (sharedCa.ts) the CA's key is derived, not random: any
// worker remakes the same CA, so this folder is a cache every worker can rebuild.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caCertCommand, caCommands, leafCommands, leafExtensions } from '../../domain/provisioning/certCommands';
import { derivedCaKeyPem } from './sharedCa';
import { runLocally } from './localRunner';
import type { TlsFolder } from './tlsFolder';

/**
 * Each parent folder is written by one activity at a time (the CA's, the client's, one per
 * host), so a scratch folder found there was left by a killed worker and is removed.
 */
function sweepScratch(parent: string): void {
  if (!existsSync(parent)) return;
  for (const stale of readdirSync(parent).filter((n) => n.startsWith('.scratch-'))) rmSync(join(parent, stale), { recursive: true, force: true });
}

function inScratch(parent: string, make: (dir: string) => void): void {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  sweepScratch(parent);
  const scratch = mkdtempSync(join(parent, '.scratch-'));
  try {
    make(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `seed`: derive the CA's key from it (the same CA on every worker) instead of a random one. */
export function ensureCa(infrastructure: string, tls: TlsFolder, seed?: string): boolean {
  sweepScratch(join(tls.root, 'ca'));
  if (existsSync(tls.ca.cert) && existsSync(tls.ca.key)) return false;
  inScratch(join(tls.root, 'ca'), (dir) => {
    const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
    if (seed) {
      writeFileSync(files.key, derivedCaKeyPem(seed, infrastructure), { mode: 0o600 });
      runLocally(caCertCommand(infrastructure, files));
    } else {
      for (const cmd of caCommands(infrastructure, files)) runLocally(cmd);
    }
    // Key first: a CA cert without its key would look complete but could sign nothing.
    renameSync(files.key, tls.ca.key);
    renameSync(files.cert, tls.ca.cert);
  });
  return true;
}

function makeLeaf(tls: TlsFolder, commonName: string, ext: string, key: string, cert: string): void {
  inScratch(join(key, '..'), (dir) => {
    const files = { key: join(dir, 'key.pem'), csr: join(dir, 'req.csr'), cert: join(dir, 'cert.pem'), ext: join(dir, 'ext.cnf') };
    writeFileSync(files.ext, ext);
    for (const cmd of leafCommands(commonName, tls.ca, files, randomBytes(16).toString('hex'))) runLocally(cmd);
    renameSync(files.key, key);
    renameSync(files.cert, cert);
  });
}

/** The workers' client certificate, in the folder layout DOCKER_CERT_PATH uses; returns that folder (the certRef). */
export function ensureClientCert(tls: TlsFolder): string {
  const { client } = tls;
  sweepScratch(client.dir);
  if (!(existsSync(client.cert) && existsSync(client.key))) {
    mkdirSync(client.dir, { recursive: true, mode: 0o700 });
    makeLeaf(tls, 'clocker-worker', leafExtensions('client'), client.key, client.cert);
  }
  if (!existsSync(client.ca)) copyFileSync(tls.ca.cert, client.ca);
  return client.dir;
}

export interface ServerCert {
  caPem: string;
  certPem: string;
  keyPem: string;
  created: boolean;
}

/** Re-issued only when the SANs change (the host got another address). */
export function ensureServerCert(tls: TlsFolder, hostId: string, sans: string[]): ServerCert {
  const files = tls.host(hostId);
  sweepScratch(files.dir);
  const wanted = `${sans.join(',')}\n`;
  const current = existsSync(files.cert) && existsSync(files.key) && existsSync(files.sans) && readFileSync(files.sans, 'utf8') === wanted;
  if (!current) {
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    makeLeaf(tls, hostId, leafExtensions('server', sans), files.key, files.cert);
    writeFileSync(files.sans, wanted);
  }
  return { caPem: readFileSync(tls.ca.cert, 'utf8'), certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8'), created: !current };
}
