// The openssl commands that make an infrastructure's certificates, as data: one CA per
// infrastructure, a server certificate per host (its addresses as SANs), one client
// certificate for the workers. They run on the worker's machine, where the keys stay.
import type { HostCommand } from '../../activities/ssh/hostCommand';

export interface CaFiles {
  key: string;
  cert: string;
}

export interface LeafFiles {
  key: string;
  csr: string;
  cert: string;
  /** The extensions file written before signing (see leafExtensions). */
  ext: string;
}

const genKey = (out: string): HostCommand => ({ argv: ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out] });

export function caCommands(infrastructure: string, files: CaFiles): HostCommand[] {
  return [genKey(files.key), caCertCommand(infrastructure, files)];
}

/**
 * The CA's self-signed certificate for a key already in `files.key`. Two certificates made
 * this way from the same key (a key derived from a shared seed, on two workers) differ only
 * in their dates and signature bytes: each verifies what the other's key signed.
 */
export function caCertCommand(infrastructure: string, files: CaFiles): HostCommand {
  return { argv: ['openssl', 'req', '-new', '-x509', '-sha256', '-days', '3650', '-key', files.key, '-subj', `/CN=clocker ${infrastructure} CA`, '-out', files.cert] };
}

/** SANs: IP addresses as IP:, names as DNS:. */
export function subjectAltNames(names: readonly string[]): string {
  return names.map((n) => (/^[0-9.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
}

/** Content of the -extfile for a leaf: server certs carry SANs; client certs only clientAuth. */
export function leafExtensions(kind: 'server' | 'client', sans: readonly string[] = []): string {
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature,keyEncipherment', `extendedKeyUsage=${kind === 'server' ? 'serverAuth' : 'clientAuth'}`];
  if (kind === 'server') lines.push(`subjectAltName=${subjectAltNames(sans)}`);
  return `${lines.join('\n')}\n`;
}

/** `serial` is hex, chosen by the caller (random), so no shared serial file is needed. */
export function leafCommands(commonName: string, ca: CaFiles, files: LeafFiles, serial: string): HostCommand[] {
  return [
    genKey(files.key),
    { argv: ['openssl', 'req', '-new', '-key', files.key, '-subj', `/CN=${commonName}`, '-out', files.csr] },
    {
      argv: ['openssl', 'x509', '-req', '-sha256', '-days', '825', '-in', files.csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${serial}`, '-extfile', files.ext, '-out', files.cert],
    },
  ];
}
