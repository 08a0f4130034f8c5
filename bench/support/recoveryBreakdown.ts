// Where a Clocker recovery's time goes, read from the service's history: for each `docker
// kill` (wall-clock times from the bench; the server's event times are on the same clock),
//   detect  kill → the monitor's memberEvent signal recorded;
//   check   → checkMember completed (a workflow task, the inspect(s) of the dead container);
//   start   → ensureContainer completed (a workflow task, Docker's start);
//   health  → waitHealthy completed (a workflow task, the probe);
//   seen    → the bench saw the member RUNNING and answering (the report, the query, its poll, HTTP).
import type { temporal } from '@temporalio/proto';
import { percentile } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface Kill {
  /** Date.now() just before the kill, and when the bench saw the member healthy again. */
  at: number;
  seen: number;
}

export const STEPS = ['detect', 'check', 'start', 'health', 'seen'] as const;
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
  const out: Record<Step, number>[] = [];
  for (const k of kills) {
    const signal = signals.find((t) => t >= k.at);
    const check = signal === undefined ? undefined : after('checkMember', signal);
    const start = check === undefined ? undefined : after('ensureContainer', check);
    const health = start === undefined ? undefined : after('waitHealthy', start);
    if (signal === undefined || check === undefined || start === undefined || health === undefined || health > k.seen) continue;
    out.push({ detect: signal - k.at, check: check - signal, start: start - check, health: health - start, seen: k.seen - health });
  }
  return out;
}

/** `detect 12 ms · check 270 ms · …` (medians). */
export function describeSteps(steps: Record<Step, number>[]): string {
  return STEPS.map((s) => `${s} ${percentile(steps.map((x) => x[s]), 50).toFixed(0)} ms`).join(' · ');
}
