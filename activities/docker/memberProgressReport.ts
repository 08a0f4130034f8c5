// The step a new member's activity is on, carried by every heartbeat it sends. Temporal keeps
// only the details of the latest heartbeat, so a heartbeat without them (a timer's, a probe's)
// would wipe the step: inside `reportingProgress` each beat carries the current step. Like the
// SDK's own activity Context, the current step lives in async-local storage, so the helpers
// deep in create and wait (containers.ts, health.ts, images.ts) need no extra parameter.
// Outside a startMember (ensureContainer and waitHealthy called as activities of their own)
// a beat is a bare heartbeat, as before. Until its first step is known (the image is looked up
// first) a member's beats are bare too: a client reads that as "placed", not a guess.
import { heartbeat } from '@temporalio/activity';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MemberProgress, MemberStep } from '../../domain/application/memberProgress';

const current = new AsyncLocalStorage<{ member: string; progress?: MemberProgress }>();

export function reportingProgress<T>(member: string, work: () => Promise<T>): Promise<T> {
  return current.run({ member }, work);
}

/** Moves to a step (what it pulls, how far) and says so at once. */
export function reportStep(step: MemberStep, more: Omit<MemberProgress, 'member' | 'step'> = {}): void {
  const store = current.getStore();
  if (!store) return;
  store.progress = { member: store.member, step, ...more };
  heartbeat(store.progress);
}

/** A heartbeat: with the current step inside `reportingProgress`, bare elsewhere. */
export function beat(): void {
  const progress = current.getStore()?.progress;
  if (progress) heartbeat(progress);
  else heartbeat();
}
