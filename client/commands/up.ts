// `clocker up`: the embedded default. Starts (or reuses) a Temporal dev server with its
// SQLite file under the state folder, starts a worker process, registers the `local`
// infrastructure, optionally deploys a blueprint, and stops both children on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import type { InfrastructureSpec } from '../../domain/infra/model';
import { ClockerClient } from '../clockerClient';
import { localHostAddress } from '../localHostAddress';
import { temporalConfig } from '../temporal/config';
import { connectClient } from '../temporal/connect';
import { stopChild } from '../childProcess';
import { startDevServer, type DevServer } from '../temporal/devServer';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import { ensureTemporalBinary } from '../temporal/temporalBinary';
import { clockerHome } from '../stateDir';
import { deployAndWait } from './deploy';

export interface UpOptions {
  temporal?: string;
  namespace?: string;
  port: number;
  uiPort: number;
  deploy?: string;
}

/** This machine's engine as one host; its address is the engine's bridge gateway (see localHostAddress). */
export async function localInfrastructure(docker: Docker = createDockerClientFactory()(localDockerEndpoint())): Promise<InfrastructureSpec> {
  const address = await localHostAddress(docker);
  return {
    name: 'local',
    hosts: [{ id: 'local', address, docker: localDockerEndpoint(), status: 'AVAILABLE', labels: {}, maxContainers: 100 }],
  };
}

export async function up(options: UpOptions): Promise<void> {
  const home = clockerHome();
  mkdirSync(home, { recursive: true });
  let server: DevServer | undefined;
  let address = options.temporal;
  if (!address) {
    const binary = ensureTemporalBinary();
    server = await startDevServer({
      binary,
      dbFile: join(home, 'temporal.db'),
      logFile: join(home, 'temporal.log'),
      port: options.port,
      uiPort: options.uiPort,
    });
    address = server.address;
    console.log(`Temporal dev server on ${address} (state ${join(home, 'temporal.db')})`);
    console.log(`Web UI: ${server.uiUrl}/namespaces/default/workflows`);
  }
  const config = temporalConfig(process.env, { address, namespace: options.namespace });
  const client = await connectClient(config);
  await ensureSearchAttributes(client, config.namespace);
  const worker = startWorkerProcess(config.address, config.namespace, join(home, 'worker.log'));
  console.log(`worker started (pid ${worker.pid}, log ${join(home, 'worker.log')})`);

  const clocker = new ClockerClient(client, config.taskQueue);
  const infra = await localInfrastructure();
  const outcome = await clocker.ensureInfrastructure(infra);
  console.log(`infrastructure "local" ${outcome === 'started' ? 'registered' : 'resumed'}: Docker at ${JSON.stringify(infra.hosts[0]?.docker)}`);

  const stopAll = async () => {
    await stopChild(worker);
    await client.connection.close();
    if (server) await server.stop();
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the worker and the Temporal server…');
    stopAll().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  worker.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`the worker exited (${code ?? signal}); see ${join(home, 'worker.log')}`);
    onSignal();
  });

  if (options.deploy) {
    try {
      // Ctrl-C here is up's own: it stops the worker and the server (deployAndWait must not exit first).
      await deployAndWait(clocker, options.deploy, { timeoutSec: 300, interruptible: false });
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
    }
  }
  console.log('clocker is up; Ctrl-C stops it (state is kept for the next `clocker up`).');
}

/**
 * node's arguments for a worker process: the shipped flags, then `main` (workers/main.js, or
 * workers/main.ts through tsx). By default the worker runs as this CLI does: compiled (this file
 * is dist/…/up.js) or from the sources.
 */
export function workerCommand(main = join(__dirname, '..', '..', 'workers', __filename.endsWith('.js') ? 'main.js' : 'main.ts')): string[] {
  return [...WORKER_NODE_FLAGS, ...(main.endsWith('.ts') ? ['--import', 'tsx', main] : [main])];
}

/**
 * How the worker processes Clocker starts run (the image and prod-stack.sh say the same), measured
 * by bench/workerMemorySimulated.bench.ts (1,000 members on simulated hosts, docs/benchmarks.md):
 * two malloc arenas instead of one per thread (the SDK core's runtime threads); freed memory at
 * the top of the C heap given back above 128 KiB (glibc otherwise raises that bar to 64 MiB after
 * large buffers come and go); glibc reads both only at process start.
 */
export const WORKER_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' } as const;
/** A young generation of 2 × 4 MiB per V8 isolate (the main thread's and the workflow thread's), not 2 × 16 MiB. */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=4'] as const;

function startWorkerProcess(address: string, namespace: string, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, workerCommand(), {
    stdio: ['ignore', log, log],
    env: { ...WORKER_MALLOC_ENV, ...process.env, CLOCKER_TEMPORAL_ADDRESS: address, CLOCKER_NAMESPACE: namespace },
  });
  closeSync(log);
  return child;
}
