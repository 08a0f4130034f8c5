// The production stack for the prod tier: scripts/prod-stack.sh in a fresh folder on free
// ports (PostgreSQL, four Temporal services behind mTLS, the Web UI, the codec server, N
// workers), and clients that reach it the way a user's CLI does: with the stack's settings.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { ClockerClient } from '../../client/clockerClient';
import { temporalConfig, type TemporalConfig } from '../../client/temporal/config';
import { connectClient } from '../../client/temporal/connect';
import { clockerDataConverter } from '../../client/temporal/encryption/dataConverter';
import { loadKeyring } from '../../client/temporal/encryption/keyring';

const run = promisify(execFile);
export const ROOT = join(__dirname, '..', '..');
export const SCRIPT = join(ROOT, 'scripts', 'prod-stack.sh');

export interface ProdStack {
  dir: string;
  env: Record<string, string>;
  config: TemporalConfig;
  /** A client as the CLI makes it: mTLS and the payload codec. */
  clocker: ClockerClient;
  /** The same connection without the codec: payloads as the server stores them. */
  raw: Client;
  /** Milliseconds `prod-stack.sh up` took. */
  upMs: number;
  script(...args: string[]): Promise<string>;
  killWorker(n: number): Promise<void>;
  startWorker(n: number): Promise<void>;
  workerLog(n: number): string;
  /** Stops every process and removes the folder. */
  destroy(): Promise<void>;
}

/** A port base whose stack ports (base+233 … base+1888) are all free on loopback. */
async function freeBase(): Promise<number> {
  const offsets = [233, 234, 235, 239, 243, 432, 933, 934, 935, 939, 1233, 1888];
  for (let attempt = 0; attempt < 50; attempt++) {
    // Temporal keeps membership ports in a PostgreSQL smallint: every port stays under 32768.
    const base = 20_000 + Math.floor(Math.random() * 100) * 100;
    const free = await Promise.all(offsets.map((o) => portFree(base + o)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free port range for the production stack');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function startProdStack(options: { workers?: number; secrets?: Record<string, string> } = {}): Promise<ProdStack> {
  const dir = mkdtempSync(join(tmpdir(), 'clocker-prod-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user and must reach its data folder
  const scriptEnv = {
    ...process.env,
    CLOCKER_STACK_DIR: dir,
    CLOCKER_STACK_PORT_BASE: String(await freeBase()),
    CLOCKER_STACK_WORKERS: String(options.workers ?? 2),
  };
  const script = async (...args: string[]) => {
    try {
      return (await run(SCRIPT, args, { env: scriptEnv, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 })).stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`prod-stack.sh ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`);
    }
  };
  // Secrets go where every worker of the stack reads them (CLOCKER_SECRETS_DIR).
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  for (const [name, value] of Object.entries(options.secrets ?? {})) writeFileSync(join(dir, 'secrets', name), value, { mode: 0o600 });

  const started = Date.now();
  await script('up').catch(async (err: unknown) => {
    const tails = ['temporal-frontend', 'temporal-history', 'worker-1']
      .map((name) => join(dir, 'logs', `${name}.log`))
      .filter(existsSync)
      .map((file) => `--- ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-8).join('\n').slice(0, 3000)}`);
    await script('destroy').catch(() => undefined);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tails.join('\n')}`);
  });
  const upMs = Date.now() - started;
  const env = Object.fromEntries(
    (await script('env'))
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );
  const config = temporalConfig({ ...env, HOME: dir, XDG_CONFIG_HOME: dir });
  const keyring = loadKeyring(env);
  if (!keyring) throw new Error('the stack made no payload keyring');
  const temporal = await connectClient(config, { dataConverter: clockerDataConverter(keyring) ?? null });
  const raw = await connectClient(config, { dataConverter: null });
  const workerLog = (n: number) => {
    const file = join(dir, 'logs', `worker-${n}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  return {
    dir,
    env,
    config,
    clocker: new ClockerClient(temporal, config.taskQueue),
    raw,
    upMs,
    script,
    killWorker: async (n) => void (await script('kill-worker', String(n))),
    startWorker: async (n) => void (await script('worker', String(n))),
    workerLog,
    async destroy() {
      await temporal.connection.close().catch(() => undefined);
      await raw.connection.close().catch(() => undefined);
      await script('destroy');
    },
  };
}
