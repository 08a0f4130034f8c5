// Where this worker finds the client certificate folder (ca.pem, cert.pem, key.pem) a
// DockerEndpoint's certRef stands for. A folder that exists is used as it is; a logical
// reference (or a folder another worker made, on its own disk) is remade here from the CA
// seed, so any worker reaches any host.
import { existsSync } from 'node:fs';
import type { SecretStore } from '../secrets/secretStore';
import { ensureCa, ensureClientCert } from './certificates';
import { CA_SEED_SECRET, caSeed, certRefInfrastructure, LOGICAL_CERT_REF } from './sharedCa';
import { tlsFolder } from './tlsFolder';

export function clientCertFolder(certRef: string, secrets: SecretStore, home?: string): string {
  if (!certRef.startsWith(LOGICAL_CERT_REF) && existsSync(certRef)) return certRef;
  const infrastructure = certRefInfrastructure(certRef);
  const seed = infrastructure ? caSeed(secrets) : undefined;
  if (!infrastructure || !seed) {
    if (certRef.startsWith(LOGICAL_CERT_REF)) {
      throw new Error(`${certRef}: this worker has no CA seed (the secret ${CA_SEED_SECRET}) to make the infrastructure's certificates; give it the one the other workers have`);
    }
    return certRef; // an earlier release's folder on another disk, and no seed: reading it fails, naming it
  }
  const tls = tlsFolder(infrastructure, home);
  ensureCa(infrastructure, tls, seed);
  return ensureClientCert(tls);
}
