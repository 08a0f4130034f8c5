// `clocker worker`: the worker with the memory settings every other way of starting one gives
// it (`clocker up`, the image, prod-stack.sh). glibc reads its malloc settings and V8 its heap
// flags only at process start, so a worker started without them runs as a child that has them:
// signals are passed on, and this process ends as the child does. Settings given explicitly
// (another MALLOC_ARENA_MAX, a --max-semi-space-size of one's own) are kept, not overridden.
import { spawn } from 'node:child_process';
import { WORKER_MALLOC_ENV, WORKER_NODE_FLAGS, workerCommand } from './up';

/** What a relaunch must add: the malloc variables and node flags this process was not started with. */
export function missingWorkerSettings(env: NodeJS.ProcessEnv, execArgv: readonly string[]): { env: Record<string, string>; flags: string[] } {
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  const flagName = (flag: string) => flag.split('=')[0]!;
  return {
    env: Object.fromEntries(Object.entries(WORKER_MALLOC_ENV).filter(([key]) => env[key] === undefined)),
    flags: WORKER_NODE_FLAGS.filter((flag) => !given.some((g) => flagName(g) === flagName(flag))),
  };
}

/** Runs the worker here when the settings are in place, else as a child that has them. */
export function runWorker(load: () => void): void {
  const missing = missingWorkerSettings(process.env, process.execArgv);
  if (Object.keys(missing.env).length === 0 && missing.flags.length === 0) return load();
  // The shipped flags this process lacks (those it was given stay, in execArgv), then the worker's entry.
  const shipped: readonly string[] = WORKER_NODE_FLAGS;
  const args = [...process.execArgv, ...workerCommand().filter((arg) => !shipped.includes(arg) || missing.flags.includes(arg))];
  // Its own process group: a signal reaches it once, from here. In this one a Ctrl-C would reach
  // it twice, and the SDK takes a second signal as "stop now", not "drain". (So a SIGKILL of this
  // process leaves the worker running: a supervisor that kills the whole cgroup, as systemd does,
  // takes both.) No stdin: a process outside the terminal's foreground group must not read it.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...missing.env }, detached: true });
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, passOn);
  child.on('exit', (code, signal) => {
    if (signal === null) return process.exit(code ?? 1);
    // Ended by a signal: this process ends by the same one, as a supervisor expects.
    for (const s of signals) process.off(s, passOn);
    process.kill(process.pid, signal);
  });
}
