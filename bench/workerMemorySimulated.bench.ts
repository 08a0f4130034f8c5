// The worker's memory while it manages 1,000 members, on SIMULATED hosts (#16 allows them for
// this one measure): bench/support/simulatedWorker.ts, the product's worker with the Docker-facing
// activities answered in memory, as a child process against a fresh dev server. Its resident set
// (VmRSS) idle, with APPS × PER members running (one service each, spread over HOSTS simulated
// hosts), and after they are destroyed, with the wall time and the worker's CPU time of the
// deploys; the baseline in the same run (tsx, bundled at start) beside the compiled forms: the
// one shipped before (MALLOC_ARENA_MAX=2) and the shipped one (client/commands/up.ts settings).
//   npm run build && node --import tsx bench/workerMemorySimulated.bench.ts    (~10 min)
//   APPS=10 PER=100 HOSTS=10 IDLE_MS=15000 VARIANTS='shipped before,as shipped (' KNOBS=1
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startStack, type Stack } from '../test/support/stack';
import { fakeHosts } from '../test/support/workflowTier';
import { BUNDLE_FILE, bundleProblem } from '../workers/workflowBundle';
import { shippedVariant, startWorkerProcess, type Variant } from './workerMemory.bench';
import { cpuSecondsOf, rssOf } from './support/processStats';
import { stopChild } from '../client/childProcess';
import { printResult, type ResultRow } from './support/benchResult';

const ROOT = join(__dirname, '..');
const APPS = Number(process.env.APPS ?? 10);
const PER = Number(process.env.PER ?? 100);
const HOSTS = Number(process.env.HOSTS ?? 10);
const IDLE_MS = Number(process.env.IDLE_MS ?? 15_000);
const INFRA = `sim${process.pid}`;
const OUT = join(ROOT, '.scratch', 'bench-simulated-worker');

/** The simulated worker compiled as dist/ is (tsc, the same options), into .scratch/. */
function compileSimulatedWorker(): string {
  mkdirSync(OUT, { recursive: true });
  const config = join(OUT, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: false, outDir: 'out', rootDir: '../..' }, include: [], files: ['../../bench/support/simulatedWorker.ts'] }),
  );
  const entry = join(OUT, 'out', 'bench', 'support', 'simulatedWorker.js');
  // Type errors elsewhere in a checkout being edited do not stop the emit; a missing entry does.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'ignore' });
  if (!existsSync(entry)) throw new Error(`compiling the simulated worker produced no ${entry}`);
  return entry;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(stack: Stack, variant: Variant, n: number, ensureInfra: () => Promise<void>) {
  const worker = await startWorkerProcess(stack, variant, n);
  try {
    await ensureInfra();
    await sleep(IDLE_MS);
    const idle = rssOf(worker.pid!).rss;
    const apps = Array.from({ length: APPS }, (_, i) => `sim${process.pid}v${n}a${i}`);
    const started = Date.now();
    const cpuBefore = cpuSecondsOf(worker.pid!);
    await Promise.all(apps.map((app) => stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: 'simulated/web:1', count: PER })], INFRA))));
    for (const app of apps) {
      const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 900_000);
      if (view.status !== 'RUNNING') throw new Error(`${app}: ${view.status}`);
    }
    const deploySeconds = (Date.now() - started) / 1000;
    const deployCpu = cpuSecondsOf(worker.pid!) - cpuBefore;
    await sleep(IDLE_MS);
    const running = rssOf(worker.pid!).rss;
    await Promise.all(apps.map((app) => stack.clocker.destroy(app, 900_000)));
    await sleep(IDLE_MS);
    const { rss: destroyed, peak } = rssOf(worker.pid!);
    return { variant: variant.name, idle, running, destroyed, peak, deploySeconds, deployCpu };
  } finally {
    await stopChild(worker);
  }
}

type Measured = Awaited<ReturnType<typeof measure>>;

async function main(): Promise<void> {
  if (!existsSync(BUNDLE_FILE)) throw new Error('run `npm run build` first (no workflow bundle)');
  // Others may be editing the checkout: the bench then measures the last build, and says so.
  const problem = bundleProblem();
  if (problem !== undefined) console.log(`note: ${problem}; measuring the last build`);
  const compiledEntry = compileSimulatedWorker();
  const bundle = { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE };
  const shipped = shippedVariant([compiledEntry]);
  // The shipped form until 2026-12-03: two malloc arenas only; the knobs below are each one setting on top of it.
  const before = { args: [compiledEntry], env: { ...bundle, MALLOC_ARENA_MAX: '2' } };
  // An SDK setting on top of the shipped worker (createClockerWorker's bench-only `tuning`).
  const tuned = (name: string, tuning: object): Variant => ({ name: `as shipped + ${name}`, args: shipped.args, env: { ...shipped.env, CLOCKER_BENCH_WORKER_TUNING: JSON.stringify(tuning) } });
  const variants: Variant[] = [
    { name: 'baseline: tsx, bundled at start', args: ['--import', 'tsx', join(ROOT, 'bench', 'support', 'simulatedWorker.ts')], env: { CLOCKER_WORKFLOW_BUNDLE: 'off' } },
    { name: 'compiled, bundle file', args: [compiledEntry], env: bundle },
    { name: 'compiled + MALLOC_ARENA_MAX=2 (shipped before)', ...before },
    shipped,
    // KNOBS=1: one setting at a time on top of the form shipped before, then SDK settings on top of the shipped one.
    ...(process.env.KNOBS === '1'
      ? [
          { name: 'before + --max-semi-space-size=4', args: ['--max-semi-space-size=4', ...before.args], env: before.env },
          { name: 'before + MALLOC_TRIM_THRESHOLD_=131072', args: before.args, env: { ...before.env, MALLOC_TRIM_THRESHOLD_: '131072' } },
          { name: 'as shipped, --max-semi-space-size=8 instead', args: ['--max-semi-space-size=8', compiledEntry], env: shipped.env },
          { name: 'before, MALLOC_ARENA_MAX=1', args: before.args, env: { ...before.env, MALLOC_ARENA_MAX: '1' } },
          tuned('maxCachedWorkflows=100', { maxCachedWorkflows: 100 }),
          tuned('maxCachedWorkflows=20', { maxCachedWorkflows: 20 }),
          tuned('maxConcurrentActivityTaskExecutions=20', { maxConcurrentActivityTaskExecutions: 20 }),
          tuned('maxConcurrentWorkflowTaskExecutions=10', { maxConcurrentWorkflowTaskExecutions: 10 }),
          tuned('maxConcurrentActivityTaskPolls=2, maxConcurrentWorkflowTaskPolls=2', { maxConcurrentActivityTaskPolls: 2, maxConcurrentWorkflowTaskPolls: 2 }),
        ]
      : []),
  ];
  const wanted = process.env.VARIANTS?.split(',');
  const stack = await startStack();
  const rows = [];
  try {
    let infra = false;
    const ensureInfra = async () => {
      if (infra) return;
      await stack.clocker.ensureInfrastructure(fakeHosts(INFRA, { count: HOSTS, maxContainers: Math.ceil((APPS * PER * 1.5) / HOSTS), dockerHost: (id) => `${INFRA}-${id}` }));
      infra = true;
    };
    for (const [i, variant] of variants.filter((v) => !wanted || wanted.some((w) => v.name.includes(w))).entries()) {
      const row = await measure(stack, variant, i + 1, ensureInfra);
      rows.push(row);
      console.log(`${row.variant}: idle ${row.idle.toFixed(0)} MiB, ${APPS * PER} running ${row.running.toFixed(0)} MiB (deployed in ${row.deploySeconds.toFixed(0)} s, worker CPU ${row.deployCpu.toFixed(1)} s), destroyed ${row.destroyed.toFixed(0)} MiB, peak ${row.peak.toFixed(0)} MiB`);
    }
  } finally {
    await stack.stop();
  }
  reportForTable(rows);
  const f = (n: number) => `${n.toFixed(0)} MiB`;
  console.log(`\n| worker, SIMULATED hosts (RSS, after ${IDLE_MS / 1000} s quiet) | idle | ${APPS * PER} members | after destroy | peak | deploy (worker CPU) |`);
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.variant} | ${f(r.idle)} | ${f(r.running)} | ${f(r.destroyed)} | ${f(r.peak)} | ${r.deploySeconds.toFixed(0)} s (${r.deployCpu.toFixed(1)} s) |`);
}

/**
 * The rows of `npm run bench`'s table (issue #16: ≤ 200 MiB idle, ≤ 250 MiB managing 1,000
 * members, simulated hosts allowed for this measure only): the shipped worker beside the
 * baseline measured in the same run, when both ran.
 */
function reportForTable(rows: Measured[]): void {
  const baseline = rows.find((r) => r.variant.startsWith('baseline'));
  const shippedRow = rows.find((r) => r.variant.includes('as shipped ('));
  if (!baseline || !shippedRow) return;
  const note = `${HOSTS} SIMULATED hosts, after ${IDLE_MS / 1000} s quiet; baseline: the worker as it ran before (tsx, bundled at start)`;
  const row = (measure: string, pick: (r: Measured) => number, target?: string): ResultRow => ({
    measure,
    kind: 'size',
    unit: 'MiB',
    floor: pick(baseline),
    clocker: pick(shippedRow),
    ...(target ? { target } : {}),
    note,
  });
  printResult({
    bench: 'workerMemorySimulated',
    rows: [
      row('worker RSS, idle', (r) => r.idle, '≤ 200 MiB'),
      row(`worker RSS, managing ${APPS * PER} members`, (r) => r.running, APPS * PER >= 1_000 ? '≤ 250 MiB' : undefined),
      row('worker RSS, after they are destroyed', (r) => r.destroyed),
      row('worker RSS, peak', (r) => r.peak),
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
