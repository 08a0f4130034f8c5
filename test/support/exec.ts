// Runs a local command as argv (tests' own plumbing: ip, iptables, ssh-keygen), failing with
// its stderr.
import { execFile } from 'node:child_process';

export function run(argv: string[], opts: { allowFail?: boolean } = {}): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && !opts.allowFail) reject(new Error(`\`${argv.join(' ')}\` failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}
