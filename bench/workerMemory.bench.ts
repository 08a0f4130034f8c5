// The worker's memory, as a process: the product's own worker entry started as a child against
// one fresh dev server, its resident set (VmRSS, /proc) read after it has idled, with MEMBERS
// busybox members running on the local engine, and after they are destroyed. Variants one after
// another on the same task queue, in the same run, so they compare:
//   baseline   node --import tsx workers/main.ts, workflows bundled at start (as before #16)
//   compiled   node dist/workers/main.js, workflows from dist/workflow-bundle.js
//   before     the same with MALLOC_ARENA_MAX=2 (shipped until 2026-12-03)
//   shipped    as the image, `clocker up` and prod-stack.sh run it (client/commands/up.ts)
// plus, with KNOBS=1, the compiled worker with one more setting each (what else holds memory).
//   npm run build && node --import tsx bench/workerMemory.bench.ts     (~4 min; local Docker engine)
//   MEMBERS=30 IDLE_MS=15000 KNOBS=1 VARIANTS=baseline,compiled
// The 1,000-member figure (simulated hosts) is bench/workerMemorySimulated.bench.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from '../client/childProcess';
import { rssOf } from './support/processStats';
import { localInfrastructure, WORKER_MALLOC_ENV, WORKER_NODE_FLAGS } from '../client/commands/up';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../client/images/busyboxImage';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { distProblem } from '../client/repoRoot';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startStack, type Stack } from '../test/support/stack';
import { waitUntil } from '../test/rig/waitUntil';
import { BUNDLE_FILE, bundleProblem } from '../workers/workflowBundle';

const ROOT = join(__dirname, '..');
const MEMBERS = Number(process.env.MEMBERS ?? 30);
const IDLE_MS = Number(process.env.IDLE_MS ?? 15_000);
const COMMAND = ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www'];

export interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}

const compiled = [join(ROOT, 'dist', 'workers', 'main.js')];
// Named, not left to the worker's freshness check: sources edited while the bench runs would
// otherwise make a compiled worker bundle at start.
const bundleFile = { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE };
/** The compiled worker (`entry`: its script and arguments) as the image, `clocker up` and prod-stack.sh run it. */
export function shippedVariant(entry: string[]): Variant {
  return {
    name: `compiled, as shipped (+ ${Object.entries(WORKER_MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(', ')}, ${WORKER_NODE_FLAGS.join(' ')})`,
    args: [...WORKER_NODE_FLAGS, ...entry],
    env: { ...bundleFile, ...WORKER_MALLOC_ENV },
  };
}

const VARIANTS: Variant[] = [
  { name: 'baseline: tsx, bundled at start', args: ['--import', 'tsx', join(ROOT, 'workers', 'main.ts')], env: { CLOCKER_WORKFLOW_BUNDLE: 'off' } },
  { name: 'compiled, bundle file', args: compiled, env: bundleFile },
  { name: 'compiled + MALLOC_ARENA_MAX=2 (shipped before)', args: compiled, env: { ...bundleFile, MALLOC_ARENA_MAX: '2' } },
  // The image, `clocker up` and prod-stack.sh run it so (client/commands/up.ts).
  shippedVariant(compiled),
];
/** Settings tried on top of the compiled worker, one at a time. */
const KNOBS: Variant[] = [
  { name: '+ --max-semi-space-size=4', args: ['--max-semi-space-size=4', ...compiled], env: bundleFile },
  { name: '+ --max-old-space-size=128', args: ['--max-old-space-size=128', ...compiled], env: bundleFile },
];

/** Resident and peak resident set of a process, in MiB. */
export async function startWorkerProcess(stack: Stack, variant: Variant, n: number): Promise<ChildProcess> {
  const logFile = join(stack.home, `memory-worker-${n}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, variant.args, {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...variant.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue },
  });
  closeSync(log);
  await waitUntil('worker start', 120_000, async () => {
    if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    return readFileSync(logFile, 'utf8').includes('clocker worker: workflows');
  });
  console.log(`${variant.name}: ${/clocker worker: (workflows[^"]*)/.exec(readFileSync(logFile, 'utf8'))?.[1]}`);
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  variant: string;
  idle: number;
  running: number;
  destroyed: number;
  peak: number;
}

async function measure(stack: Stack, variant: Variant, n: number, ensureInfra: () => Promise<void>): Promise<Row> {
  const worker = await startWorkerProcess(stack, variant, n);
  try {
    await ensureInfra();
    await sleep(IDLE_MS);
    const idle = rssOf(worker.pid!).rss;
    const app = `wm${process.pid}v${n}`;
    await stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count: MEMBERS, command: COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] })]));
    const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 300_000);
    if (view.status !== 'RUNNING') throw new Error(`${app}: ${view.status}`);
    await sleep(IDLE_MS);
    const running = rssOf(worker.pid!).rss;
    await stack.clocker.destroy(app, 300_000);
    await sleep(IDLE_MS);
    const { rss: destroyed, peak } = rssOf(worker.pid!);
    return { variant: variant.name, idle, running, destroyed, peak };
  } finally {
    await stopChild(worker);
  }
}

async function main(): Promise<void> {
  if (!existsSync(compiled[0]!) || !existsSync(BUNDLE_FILE)) throw new Error('run `npm run build` first (no dist/)');
  // Others may be editing the checkout: the bench then measures the last build, and says so.
  const problem = distProblem(ROOT) ?? bundleProblem();
  if (problem !== undefined) console.log(`note: ${problem}; measuring the last build`);
  const docker = createDockerClientFactory()(localDockerEndpoint());
  await ensureBusyboxImage(docker);
  const wanted = process.env.VARIANTS?.split(',');
  const variants = [...VARIANTS, ...(process.env.KNOBS === '1' ? KNOBS : [])].filter((v) => !wanted || wanted.some((w) => v.name.includes(w)));
  const stack = await startStack();
  const rows: Row[] = [];
  try {
    let infra = false;
    const ensureInfra = async () => {
      if (infra) return;
      await stack.clocker.ensureInfrastructure(await localInfrastructure(docker));
      infra = true;
    };
    for (const [i, variant] of variants.entries()) {
      const row = await measure(stack, variant, i + 1, ensureInfra);
      rows.push(row);
      console.log(`${row.variant}: idle ${row.idle.toFixed(0)} MiB, ${MEMBERS} running ${row.running.toFixed(0)} MiB, destroyed ${row.destroyed.toFixed(0)} MiB, peak ${row.peak.toFixed(0)} MiB`);
    }
  } finally {
    await stack.stop();
  }
  const f = (n: number) => `${n.toFixed(0)} MiB`;
  console.log(`\n| worker (RSS, after ${IDLE_MS / 1000} s quiet) | idle | ${MEMBERS} members | after destroy | peak |`);
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.variant} | ${f(r.idle)} | ${f(r.running)} | ${f(r.destroyed)} | ${f(r.peak)} |`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
