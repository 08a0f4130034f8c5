// Runs a setup plan's steps in order, each shown before it runs, stopping at the first that fails.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { dockerState } from './observe';
import type { SetupStep } from './plan';

export const stepText = (s: SetupStep) => `${s.why}: ${s.argv.join(' ')}${s.kind === 'daemon' ? ` (log ${s.log})` : ''}`;

export async function executeStep(step: SetupStep): Promise<void> {
  const [cmd, ...args] = step.argv as [string, ...string[]];
  if (step.kind === 'run') {
    const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...step.env } });
    if (r.error) throw new Error(`${step.argv.join(' ')}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${step.argv.join(' ')} exited with ${r.status ?? r.signal}`);
    return;
  }
  // The plan was made before the packages came: with no `docker` CLI then, an engine that was
  // already there (a socket from elsewhere, a rootful engine) looked silent. Ask again first.
  if (dockerState() === 'answers') return;
  mkdirSync(dirname(step.log), { recursive: true });
  const log = openSync(step.log, 'a');
  // Detached, in its own process group: the engine outlives setup and a Ctrl-C typed into it.
  const child = spawn(cmd, args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `${code ?? signal}`));
  child.once('error', (err) => (exited = err.message));
  for (let i = 0; i < 60; i++) {
    if (dockerState() === 'answers') return;
    // systemctl returns once the unit started; dockerd itself never returns while it runs.
    if (exited !== undefined && step.argv[0] !== 'systemctl') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the Docker engine did not answer after \`${step.argv.join(' ')}\`${exited ? ` (it exited: ${exited})` : ''}; see ${step.log}`);
}
