// Certificates on the worker side. Each file is made in a scratch folder and renamed into
// place, so a worker killed half-way leaves either nothing or a whole file; an existing CA,
// client or server certificate (with the same SANs) is kept, so provisioning twice makes
// no second one.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caCommands, leafCommands, leafExtensions } from '../../domain/provisioning/certCommands';
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

async function inScratch(parent: string, make: (dir: string) => Promise<void>): Promise<void> {
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  sweepScratch(parent);
  const scratch = mkdtempSync(join(parent, '.scratch-'));
  try {
    await make(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function ensureCa(infrastructure: string, tls: TlsFolder): Promise<boolean> {
  sweepScratch(join(tls.root, 'ca'));
  if (existsSync(tls.ca.cert) && existsSync(tls.ca.key)) return false;
  await inScratch(join(tls.root, 'ca'), async (dir) => {
    const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
    for (const cmd of caCommands(infrastructure, files)) await runLocally(cmd);
    // Key first: a CA cert without its key would look complete but could sign nothing.
    renameSync(files.key, tls.ca.key);
    renameSync(files.cert, tls.ca.cert);
  });
  return true;
}

async function makeLeaf(tls: TlsFolder, commonName: string, ext: string, key: string, cert: string): Promise<void> {
  await inScratch(join(key, '..'), async (dir) => {
    const files = { key: join(dir, 'key.pem'), csr: join(dir, 'req.csr'), cert: join(dir, 'cert.pem'), ext: join(dir, 'ext.cnf') };
    writeFileSync(files.ext, ext);
    for (const cmd of leafCommands(commonName, tls.ca, files, randomBytes(16).toString('hex'))) await runLocally(cmd);
    renameSync(files.key, key);
    renameSync(files.cert, cert);
  });
}

/** The workers' client certificate, in the folder layout DOCKER_CERT_PATH uses; returns that folder (the certRef). */
export async function ensureClientCert(tls: TlsFolder): Promise<string> {
  const { client } = tls;
  sweepScratch(client.dir);
  if (!(existsSync(client.cert) && existsSync(client.key))) {
    mkdirSync(client.dir, { recursive: true, mode: 0o700 });
    await makeLeaf(tls, 'clocker-worker', leafExtensions('client'), client.key, client.cert);
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
export async function ensureServerCert(tls: TlsFolder, hostId: string, sans: string[]): Promise<ServerCert> {
  const files = tls.host(hostId);
  sweepScratch(files.dir);
  const wanted = `${sans.join(',')}\n`;
  const current = existsSync(files.cert) && existsSync(files.key) && existsSync(files.sans) && readFileSync(files.sans, 'utf8') === wanted;
  if (!current) {
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    await makeLeaf(tls, hostId, leafExtensions('server', sans), files.key, files.cert);
    writeFileSync(files.sans, wanted);
  }
  return { caPem: readFileSync(tls.ca.cert, 'utf8'), certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8'), created: !current };
}
