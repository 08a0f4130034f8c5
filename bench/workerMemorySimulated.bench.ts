// The worker's memory while it manages 1,000 members, on SIMULATED hosts (#16 allows them for
// this one measure): bench/support/simulatedWorker.ts, the product's worker with the Docker-facing
// activities answered in memory, as a child process against a fresh dev server. Its resident set
// (VmRSS) idle, with APPS × PER members running (one service each, spread over HOSTS simulated
// hosts), and after they are destroyed; the baseline in the same run (tsx, bundled at start)
// beside the shipped form (compiled, bundle file).
//   npm run build && node --import tsx bench/workerMemorySimulated.bench.ts    (~5 min)
//   APPS=10 PER=100 HOSTS=10 IDLE_MS=15000 VARIANTS=compiled KNOBS=1
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startStack, type Stack } from '../test/support/stack';
import { fakeHosts } from '../test/support/workflowTier';
import { BUNDLE_FILE, bundleProblem } from '../workers/workflowBundle';
import { rssOf, startWorkerProcess, type Variant } from './workerMemory.bench';
import { stopChild } from '../client/childProcess';

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
    await Promise.all(apps.map((app) => stack.clocker.deploy(blueprint(app, [serviceSpec({ id: 'web', image: 'simulated/web:1', count: PER })], INFRA))));
    for (const app of apps) {
      const view = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 900_000);
      if (view.status !== 'RUNNING') throw new Error(`${app}: ${view.status}`);
    }
    const deploySeconds = (Date.now() - started) / 1000;
    await sleep(IDLE_MS);
    const running = rssOf(worker.pid!).rss;
    await Promise.all(apps.map((app) => stack.clocker.destroy(app, 900_000)));
    await sleep(IDLE_MS);
    const { rss: destroyed, peak } = rssOf(worker.pid!);
    return { variant: variant.name, idle, running, destroyed, peak, deploySeconds };
  } finally {
    await stopChild(worker);
  }
}

async function main(): Promise<void> {
  if (!existsSync(BUNDLE_FILE)) throw new Error('run `npm run build` first (no workflow bundle)');
  // Others may be editing the checkout: the bench then measures the last build, and says so.
  const problem = bundleProblem();
  if (problem !== undefined) console.log(`note: ${problem}; measuring the last build`);
  const compiledEntry = compileSimulatedWorker();
  const variants: Variant[] = [
    { name: 'baseline: tsx, bundled at start', args: ['--import', 'tsx', join(ROOT, 'bench', 'support', 'simulatedWorker.ts')], env: { CLOCKER_WORKFLOW_BUNDLE: 'off' } },
    { name: 'compiled, bundle file', args: [compiledEntry], env: { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE } },
    { name: 'compiled, as shipped (+ MALLOC_ARENA_MAX=2)', args: [compiledEntry], env: { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE, MALLOC_ARENA_MAX: '2' } },
    // KNOBS=1: settings tried on top of the shipped form.
    ...(process.env.KNOBS === '1'
      ? [
          { name: 'as shipped + --max-semi-space-size=4', args: ['--max-semi-space-size=4', compiledEntry], env: { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE, MALLOC_ARENA_MAX: '2' } },
          { name: 'as shipped + MALLOC_TRIM_THRESHOLD_=131072', args: [compiledEntry], env: { CLOCKER_WORKFLOW_BUNDLE: BUNDLE_FILE, MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' } },
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
      console.log(`${row.variant}: idle ${row.idle.toFixed(0)} MiB, ${APPS * PER} running ${row.running.toFixed(0)} MiB (deployed in ${row.deploySeconds.toFixed(0)} s), destroyed ${row.destroyed.toFixed(0)} MiB, peak ${row.peak.toFixed(0)} MiB`);
    }
  } finally {
    await stack.stop();
  }
  const f = (n: number) => `${n.toFixed(0)} MiB`;
  console.log(`\n| worker, SIMULATED hosts (RSS, after ${IDLE_MS / 1000} s quiet) | idle | ${APPS * PER} members | after destroy | peak |`);
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.variant} | ${f(r.idle)} | ${f(r.running)} | ${f(r.destroyed)} | ${f(r.peak)} |`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
