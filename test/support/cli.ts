// The `clocker` CLI as a user runs it, against a test stack's server and task queue: its exit
// code and everything it printed (stdout, then stderr).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Stack } from './stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');

export interface CliOutcome {
  code: number;
  out: string;
}

export function runCli(stack: Stack, ...args: string[]): Promise<CliOutcome> {
  const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}
