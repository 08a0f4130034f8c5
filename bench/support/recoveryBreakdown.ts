// Where a Clocker recovery's time goes, read from the service's history: for each `docker
// kill` (wall-clock times from the bench; the server's event times are on the same clock),
//   detect  kill → the monitor's memberEvent signal recorded;
//   check   → checkMember completed (a workflow task, the inspect(s) of the dead container);
//   start   → the member started and healthy: ensureContainer then waitHealthy (two activities,
//             a workflow task each), or startMember (both in one, issue #16's create path), or
//             the startMembers of its host's batch (a replacement placed anew);
//   seen    → the bench saw the member RUNNING and answering (the report, the query, its poll, HTTP).
import type { temporal } from '@temporalio/proto';
import { percentile } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface Kill {
  /** Date.now() just before the kill, and when the bench saw the member healthy again. */
  at: number;
  seen: number;
}

export const STEPS = ['detect', 'check', 'start', 'seen'] as const;
export type Step = (typeof STEPS)[number];

const timeOf = (e: HistoryEvent): number => Number(String(e.eventTime?.seconds ?? 0)) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/** Per kill, the ms of each step; a kill whose steps are not all found (replaced, say) is left out. */
export function recoverySteps(events: HistoryEvent[], kills: Kill[]): Record<Step, number>[] {
  const scheduled = new Map<string, string>(); // event id → activity type
  const completions: { type: string; at: number }[] = [];
  const signals: number[] = [];
  for (const e of events) {
    const id = String(e.eventId ?? '');
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(id, s.activityType?.name ?? '');
    const c = e.activityTaskCompletedEventAttributes;
    if (c) completions.push({ type: scheduled.get(String(c.scheduledEventId ?? '')) ?? '', at: timeOf(e) });
    if (e.workflowExecutionSignaledEventAttributes?.signalName === 'memberEvent') signals.push(timeOf(e));
  }
  const after = (type: string, from: number) => completions.find((c) => c.type === type && c.at >= from)?.at;
  /** Started and healthy: one startMember (or startMembers), or ensureContainer and the waitHealthy after it. */
  const healthyAfter = (from: number): number | undefined => {
    const first = completions.find((c) => (c.type === 'startMember' || c.type === 'startMembers' || c.type === 'ensureContainer') && c.at >= from);
    return first?.type === 'ensureContainer' ? after('waitHealthy', first.at) : first?.at;
  };
  const out: Record<Step, number>[] = [];
  for (const k of kills) {
    const signal = signals.find((t) => t >= k.at);
    const check = signal === undefined ? undefined : after('checkMember', signal);
    const healthy = check === undefined ? undefined : healthyAfter(check);
    if (signal === undefined || check === undefined || healthy === undefined || healthy > k.seen) continue;
    out.push({ detect: signal - k.at, check: check - signal, start: healthy - check, seen: k.seen - healthy });
  }
  return out;
}

/** `detect 12 ms · check 270 ms · …` (medians), and the slowest recovery's steps: where a p95 comes from. */
export function describeSteps(steps: Record<Step, number>[]): string {
  const line = (pick: (s: Step) => number) => STEPS.map((s) => `${s} ${pick(s).toFixed(0)} ms`).join(' · ');
  const total = (x: Record<Step, number>) => STEPS.reduce((n, s) => n + x[s], 0);
  const slowest = steps.reduce<Record<Step, number> | undefined>((a, b) => (a && total(a) >= total(b) ? a : b), undefined);
  return `${line((s) => median(steps, s))}${slowest ? `; slowest: ${line((s) => slowest[s])}` : ''}`;
}

const median = (steps: Record<Step, number>[], s: Step) => percentile(steps.map((x) => x[s]), 50);
