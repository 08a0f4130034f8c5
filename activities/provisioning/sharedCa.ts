// An infrastructure's CA that every worker can remake: its private key is derived from a seed
// all workers hold (the secret `clocker-ca-seed`, as CLOCKER_SECRET_CLOCKER_CA_SEED or a file
// in the secrets folder, distributed like the payload keyring) and the infrastructure's name.
// Then the certificates on a worker's disk are a cache, not the only copy: a worker on another
// machine makes the same CA key, its own client certificate under it, and reaches every host
// another worker provisioned. Workflow state holds only a logical reference,
// `clocker-tls:<infrastructure>`, never key material. Without a seed, the CA is random and
// lives on the disk of the worker that made it (workers then must share that folder).
import { createECDH, createHmac, createPrivateKey } from 'node:crypto';
import { SecretNotFoundError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';

export const CA_SEED_SECRET = 'clocker-ca-seed';
export const LOGICAL_CERT_REF = 'clocker-tls:';

/** P-256's group order: a private scalar must be in 1..n-1. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

export function caSeed(secrets: SecretStore): string | undefined {
  try {
    const seed = secrets(CA_SEED_SECRET);
    if (seed.length < 16) throw new Error(`the secret ${CA_SEED_SECRET} is too short: give at least 16 random bytes (e.g. \`openssl rand -base64 32\`)`);
    return seed;
  } catch (err) {
    if (err instanceof SecretNotFoundError) return undefined;
    throw err;
  }
}

/** The CA's private key (PKCS#8 PEM) for an infrastructure: the same on every worker with the seed. */
export function derivedCaKeyPem(seed: string, infrastructure: string): string {
  for (let counter = 0; ; counter++) {
    const digest = createHmac('sha256', seed).update(`clocker-ca/v1/${infrastructure}/${counter}`).digest();
    const scalar = BigInt(`0x${digest.toString('hex')}`);
    if (scalar === 0n || scalar >= P256_ORDER) continue; // about 2^-32 likely: take the next
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(digest);
    const pub = ecdh.getPublicKey(); // 0x04 || x || y
    const b64url = (b: Buffer) => b.toString('base64url');
    const key = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64url(digest), x: b64url(pub.subarray(1, 33)), y: b64url(pub.subarray(33, 65)) }, format: 'jwk' });
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}

export const logicalCertRef = (infrastructure: string): string => `${LOGICAL_CERT_REF}${infrastructure}`;

/**
 * The infrastructure a certRef stands for, when a worker can remake its folder: a logical
 * reference, or the folder path an earlier release stored (<home>/infra/<name>/tls/client).
 */
export function certRefInfrastructure(certRef: string): string | undefined {
  if (certRef.startsWith(LOGICAL_CERT_REF)) return certRef.slice(LOGICAL_CERT_REF.length);
  return /\/infra\/([^/]+)\/tls\/client\/?$/.exec(certRef)?.[1];
}
