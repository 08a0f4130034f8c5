// Runs a command on the worker's own machine (openssl for certificates). Same data as the SSH
// runner's HostCommand, no shell. Synchronous: the certificate folder is also remade where a
// Docker client is built (synchronously), and an openssl run takes milliseconds.
import { execFileSync } from 'node:child_process';
import type { HostCommand } from '../ssh/hostCommand';
import { CertificateError } from '../errors';

export function runLocally(cmd: HostCommand): string {
  const [file, ...args] = cmd.argv;
  if (!file) throw new Error('cannot run an empty command');
  try {
    return execFileSync(file, args, { timeout: cmd.timeoutMs ?? 60_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { status?: number | null; stderr?: string };
    throw new CertificateError('the worker', cmd.argv, typeof e.status === 'number' ? e.status : null, String(e.stderr ?? '').slice(-1000).trim());
  }
}
