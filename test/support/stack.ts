// The end-to-end stack: a real Temporal dev server (the product's own launcher, a fresh
// SQLite file) and real worker processes (the product's entry point), which a test may kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { stopChild } from '../../client/childProcess';
import { ClockerClient } from '../../client/clockerClient';
import { localInfrastructure, WORKER_MALLOC_ENV, workerCommand } from '../../client/commands/up';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { temporalConfig } from '../../client/temporal/config';
import { connectClient } from '../../client/temporal/connect';
import { startDevServer, type DevServer, type DevServerOptions } from '../../client/temporal/devServer';
import { findTemporalBinary } from '../../client/temporal/temporalBinary';
import { distProblem } from '../../client/repoRoot';
import { BUNDLE_ENV, bundleProblem, writeWorkflowBundle } from '../../workers/workflowBundle';
import { waitUntil } from '../rig/waitUntil';
import { freePort } from './ports';

const ROOT = join(__dirname, '..', '..');

export interface Stack {
  home: string;
  server: DevServer;
  clocker: ClockerClient;
  workers: ChildProcess[];
  /** Starts a worker process and resolves once it polls its task queue. */
  startWorker(): Promise<ChildProcess>;
  /** SIGKILLs the dev server and starts it again on the same SQLite file and port. */
  crashServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const binary = findTemporalBinary();
  if (!binary) throw new Error('no Temporal CLI: run `node bin/clocker.js temporal-bin` first');
  const home = mkdtempSync(join(tmpdir(), 'clocker-e2e-'));
  const serverOptions = {
    binary,
    dbFile: join(home, 'temporal.db'),
    logFile: join(home, 'temporal.log'),
    port: await freePort(),
    uiPort: await freePort(),
  };
  let server = await startWithFreshPorts(serverOptions);
  const config = temporalConfig({}, { address: server.address, taskQueue: `e2e-${process.pid}` });
  const client = await connectClient(config);
  const workers: ChildProcess[] = [];
  let workerCount = 0;

  const startWorker = async () => {
    const logFile = join(home, `worker-${++workerCount}.log`);
    const log = openSync(logFile, 'a');
    const { command, bundleEnv } = await workerLaunch();
    const child = spawn(process.execPath, command, {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      env: { ...WORKER_MALLOC_ENV, ...process.env, ...bundleEnv, CLOCKER_TEMPORAL_ADDRESS: config.address, CLOCKER_TASK_QUEUE: config.taskQueue },
    });
    closeSync(log);
    workers.push(child);
    await waitUntil('worker start', 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
      return readFileSync(logFile, 'utf8').includes('clocker worker:');
    });
    return child;
  };

  const crashServer = async () => {
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGKILL');
    await exited;
    // Same SQLite file and gRPC port (the worker and clients reconnect there); a fresh UI port,
    // since other tests' servers may have taken the old one while this one was down.
    serverOptions.uiPort = await freePort();
    server = await startDevServer(serverOptions);
  };

  return {
    home,
    get server() {
      return server;
    },
    crashServer,
    clocker: new ClockerClient(client, config.taskQueue),
    workers,
    startWorker,
    async stop() {
      for (const w of workers) await stopChild(w);
      await client.connection.close();
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * How a test starts the product's worker: as `clocker up` does, with the shipped memory settings
 * (so the benches' RSS is the shipped figure); compiled (dist/, as CI builds it and `clocker
 * worker` runs it) while dist/ is fresh, else from the sources through tsx. Its workflows come
 * from the built bundle while that is fresh, else from one bundle made once per test process, so
 * a test that starts many workers (chaos: eleven) does not bundle at each start.
 */
async function workerLaunch(): Promise<{ command: string[]; bundleEnv: Record<string, string> }> {
  const command = workerCommand(distProblem(ROOT) === undefined ? join(ROOT, 'dist', 'workers', 'main.js') : join(ROOT, 'workers', 'main.ts'));
  if (bundleProblem() === undefined) return { command, bundleEnv: {} };
  return { command, bundleEnv: { [BUNDLE_ENV]: await processBundle() } };
}

let bundleFile: Promise<string> | undefined;
function processBundle(): Promise<string> {
  bundleFile ??= (async () => {
    const file = join(tmpdir(), `clocker-workflows-${process.pid}.js`);
    await writeWorkflowBundle(file);
    process.once('exit', () => rmSync(file, { force: true }));
    return file;
  })();
  return bundleFile;
}

/**
 * The usual end-to-end setup on the local engine: the busybox image, a stack, one worker
 * (unless `worker: false`, for a test that starts and kills its own), and the "local"
 * infrastructure. If a step fails, what was already started is stopped again.
 */
export async function startLocalStack(docker: Docker, { worker = true }: { worker?: boolean } = {}): Promise<Stack> {
  await ensureBusyboxImage(docker);
  const stack = await startStack();
  try {
    if (worker) await stack.startWorker();
    await stack.clocker.ensureInfrastructure(await localInfrastructure(docker));
    return stack;
  } catch (err) {
    await stack.stop().catch(() => undefined); // the caller never gets the stack to stop it
    throw err;
  }
}

/**
 * A port picked free can be taken before the server binds it (other tiers' servers start
 * beside these tests): such a start is tried again on other ports, twice at most.
 */
async function startWithFreshPorts(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer(options);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !err.message.includes('address already in use')) throw err;
      options.port = await freePort();
      options.uiPort = await freePort();
    }
  }
}

