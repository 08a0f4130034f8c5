// How fast the `clocker` CLI answers, beside its floors, side by side in one run:
//   `clocker --help`  vs `node -e 0`                                 (goal: within 2×)
//   `clocker status`  vs `temporal workflow list` with the same query (goal: within 3×)
// against a fresh Temporal dev server holding one application. Trials alternate between the
// two sides of each pair, so a busy machine slows both alike; medians are compared.
//   node --import tsx bench/cli.bench.ts [trials]     (default 15; ~30 s; builds dist/ when stale)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distProblem, repoRoot } from '../client/repoRoot';
import { startDevServer } from '../client/temporal/devServer';
import { ensureTemporalBinary } from '../client/temporal/temporalBinary';
import { freePort } from '../test/support/ports';

const ROOT = repoRoot(__dirname);
const TRIALS = Math.max(10, Number(process.argv[2] ?? 15));
/** The query `clocker status` makes (ClockerClient.listApplications). */
const LIST_QUERY = 'ClockerKind = "application" AND ExecutionStatus = "Running"';

/** tsc emits even past type errors (someone's work in progress in a shared checkout): what counts is a fresh dist/. */
function build(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { encoding: 'utf8' });
  const stale = distProblem(ROOT);
  if (stale) throw new Error(`building dist/ failed (${stale}): ${r.stdout}${r.stderr}`);
}

/**
 * One timed run. A clocker run that fell back to the sources (someone edited one meanwhile:
 * bin/clocker.js says so under CLOCKER_SOURCES_NOTICE) is not what is measured: dist/ is
 * rebuilt and the run taken again.
 */
function timeOnce(argv: string[], env: NodeJS.ProcessEnv): number {
  const [cmd, ...args] = argv as [string, ...string[]];
  for (let attempt = 0; ; attempt++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...env, CLOCKER_SOURCES_NOTICE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
    if (!r.stderr.includes('running from the TypeScript sources')) return ms;
    if (attempt >= 5) throw new Error('dist/ keeps going stale (sources edited while the bench runs)');
    build();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Pair {
  name: string;
  ours: string[];
  floor: string[];
  goal: number;
}

function measure(pair: Pair, env: NodeJS.ProcessEnv): { ours: number; floor: number } {
  // One untimed run of each: file caches warm, as for a user's second command.
  timeOnce(pair.ours, env);
  timeOnce(pair.floor, env);
  const ours: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    ours.push(timeOnce(pair.ours, env));
    floor.push(timeOnce(pair.floor, env));
  }
  return { ours: median(ours), floor: median(floor) };
}

async function main(): Promise<void> {
  const stale = distProblem(ROOT);
  if (stale) {
    console.log(`${stale}: building it (npm run build)`);
    build();
  }
  const temporal = ensureTemporalBinary();
  const home = mkdtempSync(join(tmpdir(), 'clocker-cli-bench-'));
  const port = await freePort();
  const server = await startDevServer({ binary: temporal, dbFile: join(home, 'temporal.db'), logFile: join(home, 'temporal.log'), port, uiPort: await freePort() });
  try {
    // One application for both to find: a workflow no worker runs, with Clocker's search attributes.
    execFileSync(temporal, [
      'workflow', 'start', '--address', server.address, '--type', 'application', '--task-queue', 'cli-bench-none', '--workflow-id', 'clocker/app/bench',
      '--search-attribute', 'ClockerKind="application"', '--search-attribute', 'ClockerApp="bench"', '--search-attribute', 'ClockerStatus="RUNNING"',
    ], { stdio: 'ignore' });
    const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: server.address, NO_COLOR: '1' };
    const clocker = [process.execPath, join(ROOT, 'bin', 'clocker.js')];
    // Visibility trails the start by a moment.
    let listed = '';
    for (let i = 0; i < 40 && !listed.includes('bench'); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      listed = execFileSync(clocker[0] as string, [...clocker.slice(1), 'status'], { env, encoding: 'utf8' });
    }
    if (!listed.includes('bench')) throw new Error(`clocker status does not list the application:\n${listed}`);
    const pairs: Pair[] = [
      { name: '--help', ours: [...clocker, '--help'], floor: [process.execPath, '-e', '0'], goal: 2 },
      { name: 'status', ours: [...clocker, 'status'], floor: [temporal, 'workflow', 'list', '--address', server.address, '--query', LIST_QUERY], goal: 3 },
    ];
    const rows = pairs.map((p) => ({ p, ...measure(p, env) }));
    const cell = (s: string, n: number) => s.padEnd(n);
    console.log(`\nCLI start-up, median of ${TRIALS} trials each, alternating (ms):`);
    console.log(`${cell('clocker', 16)}${cell('ms', 9)}${cell('floor', 44)}${cell('ms', 9)}${cell('ratio', 8)}${cell('goal', 7)}met`);
    for (const { p, ours, floor } of rows) {
      const floorName = p.name === '--help' ? 'node -e 0' : 'temporal workflow list --query (same)';
      const ratio = ours / floor;
      console.log(`${cell(`clocker ${p.name}`, 16)}${cell(ours.toFixed(0), 9)}${cell(floorName, 44)}${cell(floor.toFixed(0), 9)}${cell(`${ratio.toFixed(2)}×`, 8)}${cell(`≤${p.goal}×`, 7)}${ratio <= p.goal ? 'yes' : 'no'}`);
    }
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
