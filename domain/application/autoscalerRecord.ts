// What `clocker status`, the workflow's query and the Web UI show of an autoscaler: its
// settings and its recent decisions, each with the inputs it was taken on. Decisions alike in
// a row (the same hold, period after period) are one entry with a count, and past ten entries
// the oldest holds go before any change of size, so the record reaches back over the changes
// that matter and stays small in history.
import type { Bounds, Decision, DecisionKind, Sample } from './autoscaler';

export interface AutoscalerDecision {
  /** ISO time of the first decision of the entry. */
  at: string;
  action: Decision['action'];
  kind: DecisionKind;
  from: number;
  to: number;
  /** The members' average the decision was taken on (absent: no sample). */
  value?: number;
  /** Members that answered, of how many running. */
  measured: number;
  of: number;
  reason: string;
  /** How many decisions in a row this entry stands for (absent: one); `lastAt` the latest. */
  times?: number;
  lastAt?: string;
}

export interface AutoscalerView {
  metric: string;
  low: number;
  high: number;
  /** The bounds in force (the autoscaler's, held within the cluster's). */
  min: number;
  max: number;
  /** Set when an operator moved the bounds (`clocker resize --min/--max`); a version that changes the policy's own bounds drops the move. */
  moved?: boolean;
  /** Oldest first; the last is the latest decision. */
  decisions: AutoscalerDecision[];
}

export const DECISIONS_KEPT = 10;

export interface DecisionRecord {
  decision: Decision;
  sample: Sample;
  from: number;
  at: string;
}

/** The decisions after this one, and whether it opened a new entry (worth telling the application). */
export function recordDecision(decisions: readonly AutoscalerDecision[], r: DecisionRecord): { decisions: AutoscalerDecision[]; added: boolean } {
  const last = decisions.at(-1);
  const entry: AutoscalerDecision = {
    at: r.at,
    action: r.decision.action,
    kind: r.decision.kind,
    from: r.from,
    to: r.decision.size,
    // As measured: rounded, a value just above a threshold would read as equal to it.
    ...(r.sample.value !== undefined ? { value: r.sample.value } : {}),
    measured: r.sample.measured,
    of: r.sample.of,
    reason: r.decision.reason,
  };
  if (last && r.decision.action === 'hold' && last.action === 'hold' && last.kind === r.decision.kind && last.from === r.from) {
    // The same hold again: the entry keeps its start and shows the latest inputs.
    const merged: AutoscalerDecision = { ...entry, at: last.at, times: (last.times ?? 1) + 1, lastAt: r.at };
    return { decisions: [...decisions.slice(0, -1), merged], added: false };
  }
  return { decisions: trimmed([...decisions, entry]), added: true };
}

/** The newest entries, at most DECISIONS_KEPT: holds go first, so a noisy metric's holds never push the changes of size out. */
function trimmed(list: AutoscalerDecision[]): AutoscalerDecision[] {
  const out = [...list];
  while (out.length > DECISIONS_KEPT) {
    const oldestHold = out.findIndex((d, i) => d.action === 'hold' && i < out.length - 1);
    out.splice(oldestHold >= 0 ? oldestHold : 0, 1);
  }
  return out;
}

/** The settings part of the view. */
export function autoscalerHeader(metric: string, low: number, high: number, bounds: Bounds, moved: boolean): Omit<AutoscalerView, 'decisions'> {
  return { metric, low, high, min: bounds.min, max: bounds.max, ...(moved ? { moved: true } : {}) };
}
