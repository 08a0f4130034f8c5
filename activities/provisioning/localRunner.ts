// Runs a command on the worker's own machine (openssl for certificates). Same data as the SSH
// runner's HostCommand, no shell.
import { execFile } from 'node:child_process';
import type { HostCommand } from '../ssh/hostCommand';
import { CertificateError } from '../errors';

export function runLocally(cmd: HostCommand): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = cmd.argv;
    if (!file) return reject(new Error('cannot run an empty command'));
    execFile(file, args, { timeout: cmd.timeoutMs ?? 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new CertificateError('the worker', cmd.argv, typeof err.code === 'number' ? err.code : null, stderr.slice(-1000).trim()));
      else resolve(stdout);
    });
  });
}
