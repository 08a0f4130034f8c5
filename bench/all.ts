// `npm run bench`: runs every bench of the local machine one after another (each in its own
// process, its output shown as it comes), collects the result line each prints
// (bench/support/benchResult.ts), and prints one table: Clocker beside the floor (dockerode in
// parallel, or the naive algorithm for the scheduler and IPAM) and Docker Swarm mode, measured
// in the same run. The table, with the date and the machine, goes to docs/benchmarks.md.
//   node --import tsx bench/all.ts             (~11–12 min on 2 busy cores; most of it Swarm)
//   BENCH_TRIALS=3 node --import tsx bench/all.ts   (fewer kills and resizes: a quick look)
//   BENCH_ONLY=placement,ipam …                 (some benches only; the doc is then not written)
//   BENCH_FULL=1 …                               (also the slow ones: compose, ~2 min, scale, ~20 min:
//                                                 200 members beside Swarm, the deploy curve 10–300 in docs/deploy-curve.svg,
//                                                 and the worker's memory at 1,000 simulated members, ~5 min; `npm run build` first)
//   BENCH_RIG=1 …                                (also the rig: deploy/resize/destroy of 30 across 3 rig hosts beside the floor and Swarm; root, ~15 min)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseResults, type BenchResult, type Figure, type ResultRow } from './support/benchResult';

const ROOT = join(__dirname, '..');
/** In the order they run: the pure ones first, the Docker ones (which share the engine) last. */
const BENCHES = ['placement', 'ipam', 'workflow', 'deploy', 'createPath', 'recovery'];
/**
 * Run with BENCH_FULL=1 (or named in BENCH_ONLY): they take long (scale, the worker's memory at
 * 1,000 simulated members) or need docker-compose installed (compose).
 */
const SLOW_BENCHES = ['compose', 'scale', 'workerMemorySimulated'];
/** What a bench is given here unless the caller set it: the simulated worker's baseline and shipped forms only (its knobs are for a run of its own). */
const BENCH_ENV: Record<string, Record<string, string>> = { workerMemorySimulated: { VARIANTS: 'baseline,as shipped (' } };
/** Run with BENCH_RIG=1 (or BENCH_ONLY=rig): the 3-host rig (root: netns, sshd and a dockerd per host), ~15 min. */
const RIG_BENCHES = ['rig'];

function run(bench: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    const env = { ...BENCH_ENV[bench], ...process.env };
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', `${bench}.bench.ts`)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ output, code: code ?? 1 }));
  });
}

const value = (f: Figure | undefined): number | undefined => (f === undefined ? undefined : typeof f === 'number' ? f : f.median);

function cell(row: ResultRow, f: Figure | undefined): string {
  if (f === undefined) return '—';
  if (row.kind === 'rate') return `${Math.round(value(f)!).toLocaleString('en-US')} ${row.unit ?? '/s'}`;
  if (row.kind === 'size') return `${Math.round(value(f)!)} ${row.unit ?? 'MiB'}`;
  if (typeof f === 'number') return `${(f / 1000).toFixed(2)} s`;
  return f.n > 1 ? `${(f.median / 1000).toFixed(2)} s / ${(f.p95 / 1000).toFixed(2)} s` : `${(f.median / 1000).toFixed(2)} s`;
}

/** Swarm's cell: its figure, or a bound when it did not get there within the bench's deadline. */
function swarmCell(row: ResultRow): string {
  return row.swarm === undefined && row.swarmMissed !== undefined ? `> ${(row.swarmMissed / 1000).toFixed(0)} s (not reached)` : cell(row, row.swarm);
}

function swarmRatio(row: ResultRow): string {
  const ours = value(row.clocker);
  if (row.swarm === undefined && row.swarmMissed !== undefined && ours !== undefined) return `< ${(ours / row.swarmMissed).toFixed(2)}×`;
  return ratio(row, row.swarm);
}

function ratio(row: ResultRow, other: Figure | undefined): string {
  const [ours, theirs] = [value(row.clocker), value(other)];
  if (ours === undefined || theirs === undefined) return '—';
  return row.kind === 'rate' ? `${(ours / theirs).toFixed(0)}× faster` : `${(ours / theirs).toFixed(2)}×`;
}

function table(results: BenchResult[]): string {
  const lines = [
    '| measure | bench | n | floor / naive | Clocker | Swarm | docker-compose | Clocker/floor | Clocker/Swarm | Clocker/compose | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { bench, rows } of results) {
    for (const r of rows) {
      const n = typeof r.clocker === 'number' ? 1 : r.clocker.n;
      const measure = r.note ? `${r.measure} (${r.note})` : r.measure;
      lines.push(`| ${measure} | ${bench} | ${n} | ${cell(r, r.floor)} | ${cell(r, r.clocker)} | ${swarmCell(r)} | ${cell(r, r.compose)} | ${ratio(r, r.floor)} | ${swarmRatio(r)} | ${ratio(r, r.compose)} | ${r.target ?? '—'} |`);
    }
  }
  return lines.join('\n');
}

/** Hand-written sections of benchmarks.md (benches run on their own, e.g. the worker's memory) after this line stay. */
const KEPT_MARKER = '<!-- kept by npm run bench: sections below are written by hand -->';
function keptSections(file: string): string | undefined {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = text.indexOf(KEPT_MARKER);
  return at < 0 ? undefined : text.slice(at);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const started = Date.now();
  const results: BenchResult[] = [];
  const failed: string[] = [];
  const full = process.env.BENCH_FULL === '1';
  const rig = process.env.BENCH_RIG === '1';
  for (const bench of [...BENCHES, ...SLOW_BENCHES, ...RIG_BENCHES].filter((b) => (only ? only.includes(b) : BENCHES.includes(b) || (full && SLOW_BENCHES.includes(b)) || (rig && RIG_BENCHES.includes(b))))) {
    console.log(`\n=== ${bench} ===`);
    const { output, code } = await run(bench);
    if (code !== 0) failed.push(`${bench} (exit ${code})`);
    results.push(...parseResults(output));
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const text = table(results);
  console.log(`\nAll benches, one run (${minutes} min); times are median / p95 over n trials:\n${text}`);
  if (failed.length > 0) console.log(`\nFailed: ${failed.join(', ')}`);
  if (!only) {
    const date = new Date().toISOString().slice(0, 10);
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with other work; Node ${process.version}`;
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    const kept = keptSections(join(ROOT, 'docs', 'benchmarks.md'));
    writeFileSync(
      join(ROOT, 'docs', 'benchmarks.md'),
      [
        '# Benchmarks',
        '',
        `Written by \`npm run bench\` (bench/all.ts) on ${date}, in ${minutes} min, on ${machine}.`,
        'Everything in one table was measured in the same run on the same Docker engine, so the ratios',
        'mean something; absolute times depend on the machine and its load. Times are median / p95 over',
        'n trials. The floor is Docker driven directly with dockerode, everything in parallel (for the',
        'scheduler and IPAM: the naive algorithm). Swarm is Docker Swarm mode on the same engine, with the',
        'same health check (every second) and a stop grace period of 0 (Clocker removes members with force);',
        'its restart delay is its default (5 s) except in the row that says otherwise. What each bench does:',
        'bench/README.md.',
        ...(results.some((r) => r.bench === 'scale') ? ['', 'Deploy to healthy against member count, from the same run:', '', '![deploy time against members](deploy-curve.svg)'] : []),
        '',
        text,
        ...(failed.length > 0 ? ['', `Failed in this run: ${failed.join(', ')}`] : []),
        '',
        ...(kept ? [kept] : []),
      ].join('\n'),
    );
    console.log('written: docs/benchmarks.md');
  }
  if (failed.length > 0) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
