// Medians and 95th percentiles of trial times, as the benches report them.

export interface Summary {
  /** Milliseconds (a time) or items per second (a rate). */
  median: number;
  p95: number;
  n: number;
}

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Arithmetic mean; NaN for none. */
export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export function summarize(samples: readonly number[]): Summary {
  return { median: percentile(samples, 50), p95: percentile(samples, 95), n: samples.length };
}

/** `1.23 s / 2.34 s` (median / p95) for times in ms. */
export function formatSummary(s: Summary): string {
  return `${(s.median / 1000).toFixed(2)} s / ${(s.p95 / 1000).toFixed(2)} s`;
}
