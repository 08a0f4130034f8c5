// `clocker worker` as an operator runs it against a server: started without the memory settings
// the other ways of starting a worker give it, it runs the worker as a child that has them, and a
// SIGTERM to the command drains that worker and ends both.
// e2e-group: beside (its own stack and task queue; no Docker).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WORKER_MALLOC_ENV, WORKER_NODE_FLAGS } from '../../client/commands/up';
import { waitUntil } from '../rig/waitUntil';
import { startStack, type Stack } from '../support/stack';

const CLI = join(__dirname, '..', '..', 'bin', 'clocker.js');

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

/** The processes whose parent is `pid`, with their argv and environment. */
function childrenOf(pid: number): { pid: number; argv: string[]; env: string[] }[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        // Field 4 of stat is the parent; the command name (field 2) may hold spaces, so read after its ')'.
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return [];
        const split = (f: string) => readFileSync(`/proc/${d}/${f}`, 'utf8').split('\0').filter(Boolean);
        return [{ pid: Number(d), argv: split('cmdline'), env: split('environ') }];
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') return []; // gone between the listing and the read
        throw err;
      }
    });
}

function startCommand(nodeArgs: string[], extraEnv: Record<string, string>, queue: string): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: queue };
  for (const key of Object.keys(WORKER_MALLOC_ENV)) if (!(key in extraEnv)) delete env[key];
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** The children of `pid` that run the worker's entry (from the sources, tsx may run an esbuild beside it). */
const workerChildrenOf = (pid: number) => childrenOf(pid).filter((c) => c.argv.some((a) => /workers[/\\]main\.(js|ts)$/.test(a)));

/** Until the command's worker says it polls its task queue; fails at once if the command exits. */
const untilPolling = (child: ChildProcess, output: () => string): Promise<void> =>
  waitUntil(`the worker to poll (so far:\n${output()})`, 90_000, async () => {
    if (child.exitCode !== null) throw new Error(`clocker worker exited ${child.exitCode}:\n${output()}`);
    return output().includes('clocker worker: task queue');
  });

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

test('started bare, `clocker worker` runs the worker as a child with the shipped memory settings; SIGTERM drains it and ends both', async () => {
  const { child, output } = startCommand([], {}, `workercmd-bare-${process.pid}`);
  try {
    await untilPolling(child, output);
    const workers = workerChildrenOf(child.pid!);
    assert.equal(workers.length, 1, `one worker child: ${JSON.stringify(childrenOf(child.pid!).map((c) => c.argv))}`);
    const worker = workers[0]!;
    for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) assert.ok(worker.env.includes(`${key}=${value}`), `${key}=${value} in the worker's environment`);
    for (const flag of WORKER_NODE_FLAGS) assert.ok(worker.argv.includes(flag), `${flag} in ${worker.argv.join(' ')}`);
    assert.ok(worker.env.includes(`CLOCKER_TEMPORAL_ADDRESS=${stack.server.address}`), 'the rest of the environment passes on');

    child.kill('SIGTERM');
    const end = await exited(child);
    assert.deepEqual(end, { code: 0, signal: null }, `ended as the drained worker did:\n${output()}`);
    assert.ok(!readdirSync('/proc').includes(String(worker.pid)), 'the worker is gone too');
  } finally {
    child.kill('SIGKILL');
  }
});

test('given its own settings, `clocker worker` runs the worker in its own process and keeps them', async () => {
  const { child, output } = startCommand(['--max-semi-space-size=8'], { MALLOC_ARENA_MAX: '4', MALLOC_TRIM_THRESHOLD_: '65536' }, `workercmd-own-${process.pid}`);
  try {
    await untilPolling(child, output);
    assert.deepEqual(workerChildrenOf(child.pid!), [], 'no second process for the worker');
    child.kill('SIGTERM');
    assert.deepEqual(await exited(child), { code: 0, signal: null }, output());
  } finally {
    child.kill('SIGKILL');
  }
});
