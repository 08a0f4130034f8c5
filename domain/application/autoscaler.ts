// The autoscaler's decision, pure: from the policy, the service's size and bounds, and the
// latest sample of the metric (averaged over the members), grow, shrink or hold, and why.
//
// Stabilisation as Kubernetes' HPA does it: the service grows only once the metric has stayed
// above `highThreshold` for `growAfter`, and shrinks only once it has stayed below
// `lowThreshold` for `shrinkAfter`; a sample back between the thresholds ends the streak. A
// sample that could not be taken neither ends nor confirms it. Sizing is by `step` members a
// decision (not proportional): a step at a time, each after its own full delay (the streak
// starts again after every change, since new members change the average), so a service
// under load reaches its maximum in predictable steps and never overshoots on one noisy sample.
import type { AutoscalerPolicy } from '../blueprint/model';

export interface Bounds {
  min: number;
  max: number;
}

/** The policy with its defaults filled in (specs from before growAfter/shrinkAfter/step have none). */
export interface AutoscalerSettings {
  metric: string;
  low: number;
  high: number;
  /** The autoscaler's own bounds, before the cluster's hold them. */
  bounds: Bounds;
  growAfterMs: number;
  shrinkAfterMs: number;
  step: number;
  periodMs: number;
}

export function autoscalerSettings(policy: AutoscalerPolicy, moved?: Bounds): AutoscalerSettings {
  return {
    metric: policy.metric,
    low: policy.lowThreshold,
    high: policy.highThreshold,
    bounds: moved ?? { min: policy.minSize, max: policy.maxSize },
    growAfterMs: policy.growAfterMs ?? policy.stabilizationMs,
    shrinkAfterMs: policy.shrinkAfterMs ?? policy.stabilizationMs,
    step: policy.step ?? 1,
    periodMs: policy.periodMs,
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The autoscaler's bounds held within the cluster's (a service never leaves cluster.minSize..maxSize). */
export function heldBounds(own: Bounds, cluster: Bounds): Bounds {
  const min = clamp(own.min, cluster.min, cluster.max);
  return { min, max: clamp(own.max, min, cluster.max) };
}

/** One measurement: the members' average, or why there is none. */
export interface Sample {
  /** Workflow time (ms). */
  at: number;
  value?: number;
  /** Members that answered, of how many running. */
  measured: number;
  of: number;
  error?: string;
}

/** Since when the metric has stayed on one side of the thresholds. */
export interface Streak {
  side: 'above' | 'below';
  since: number;
}

/** The streak after this sample. */
export function track(streak: Streak | undefined, sample: Sample, s: Pick<AutoscalerSettings, 'low' | 'high'>): Streak | undefined {
  if (sample.value === undefined) return streak;
  const side = sample.value > s.high ? 'above' : sample.value < s.low ? 'below' : undefined;
  if (side === undefined) return undefined;
  return streak?.side === side ? streak : { side, since: sample.at };
}

/**
 * What a decision was about: `grow`/`shrink` changed the size; the others held it. `bounds`:
 * the size was outside the autoscaler's bounds (moved, or a new version) and was brought in;
 * `wait-grow`/`wait-shrink`: a streak not yet long enough; `at-max`/`at-min`: a streak
 * pushing against a bound; `steady`: between the thresholds; `blind`: no sample.
 */
export type DecisionKind = 'grow' | 'shrink' | 'bounds' | 'wait-grow' | 'wait-shrink' | 'at-max' | 'at-min' | 'steady' | 'blind';

export interface Decision {
  action: 'grow' | 'shrink' | 'hold';
  kind: DecisionKind;
  /** The size wanted after the decision (the current size when holding). */
  size: number;
  reason: string;
}

export interface DecisionInput {
  settings: AutoscalerSettings;
  cluster: Bounds;
  size: number;
  sample: Sample;
  /** The streak including this sample (`track`). */
  streak: Streak | undefined;
}

export function decide({ settings: s, cluster, size, sample, streak }: DecisionInput): Decision {
  const { min, max } = heldBounds(s.bounds, cluster);
  if (size < min) return { action: 'grow', kind: 'bounds', size: min, reason: `below the autoscaler's minimum ${min}: ${size} → ${min}` };
  if (size > max) return { action: 'shrink', kind: 'bounds', size: max, reason: `above the autoscaler's maximum ${max}: ${size} → ${max}` };
  const hold = (kind: DecisionKind, reason: string): Decision => ({ action: 'hold', kind, size, reason });
  if (sample.value === undefined) return hold('blind', `no measurement (${sample.error ?? `${sample.measured} of ${sample.of} members answered`})`);
  const now = `${s.metric} ${shown(sample.value, s.low, s.high)}`;
  if (!streak) return hold('steady', `${now} within ${s.low}..${s.high}`);
  const held = sample.at - streak.since;
  if (streak.side === 'above') {
    if (size >= max) return hold('at-max', `${now} above ${s.high}, already at the maximum ${max}`);
    if (held < s.growAfterMs) return hold('wait-grow', `${now} above ${s.high} for ${duration(held)} of ${duration(s.growAfterMs)}`);
    const to = Math.min(max, size + s.step);
    return { action: 'grow', kind: 'grow', size: to, reason: `${now} above ${s.high} for ${duration(held)}: ${size} → ${to}` };
  }
  if (size <= min) return hold('at-min', `${now} below ${s.low}, already at the minimum ${min}`);
  if (held < s.shrinkAfterMs) return hold('wait-shrink', `${now} below ${s.low} for ${duration(held)} of ${duration(s.shrinkAfterMs)}`);
  const to = Math.max(min, size - s.step);
  return { action: 'shrink', kind: 'shrink', size: to, reason: `${now} below ${s.low} for ${duration(held)}: ${size} → ${to}` };
}

/** The members' average of what answered; none when nobody did. */
export function averageSample(at: number, values: (number | undefined)[], errors: string[]): Sample {
  const got = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const base = { at, measured: got.length, of: values.length };
  if (got.length === 0) return { ...base, error: errors[0] ?? (values.length === 0 ? 'no running member' : 'no member answered') };
  return { ...base, value: got.reduce((a, b) => a + b, 0) / got.length };
}

/**
 * Three decimals at most: enough for fractions of a limit, short in a status line; more where
 * three would show a value beside a threshold as equal to it ("cpu 0.4 above 0.4").
 */
export function shown(value: number, ...thresholds: number[]): string {
  for (let decimals = 3; decimals <= 6; decimals++) {
    const scale = 10 ** decimals;
    const rounded = Math.round(value * scale) / scale;
    if (!thresholds.some((t) => rounded === t && value !== t)) return String(rounded);
  }
  return String(value);
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}
