// The machine-readable line each bench prints beside its human-readable output, so
// bench/all.ts can run them all and print one table. One line, `BENCH-RESULT {json}`.
import type { Summary } from './stats';

export const RESULT_PREFIX = 'BENCH-RESULT ';

/** A time or a size (lower is better) or a rate (higher is better), measured once or over trials. */
export type Figure = Summary | number;

export interface ResultRow {
  /** What was measured, for people: `deploy 30 to healthy`. */
  measure: string;
  kind: 'time' | 'rate' | 'size';
  /** For a rate: `placements/s`; for a size: `MiB`; times are in ms. */
  unit?: string;
  clocker: Figure;
  /** Docker directly with dockerode, in parallel (times), the naive algorithm (rates), or the baseline a size is set against. */
  floor?: Figure;
  swarm?: Figure;
  /** Swarm did not get there within this many ms (no figure for it): its cell and ratio are bounds. */
  swarmMissed?: number;
  /** Debian's docker-compose (v1) on one host. */
  compose?: Figure;
  /** What the issue asks, e.g. `≤ 0.5× Swarm`. */
  target?: string;
  note?: string;
}

export interface BenchResult {
  bench: string;
  rows: ResultRow[];
}

export function printResult(result: BenchResult): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

export function parseResults(output: string): BenchResult[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith(RESULT_PREFIX))
    .map((l) => JSON.parse(l.slice(RESULT_PREFIX.length)) as BenchResult);
}
