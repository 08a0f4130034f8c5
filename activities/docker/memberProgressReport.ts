// The step a new member's activity is on, carried by every heartbeat it sends. Temporal keeps
// only the details of the latest heartbeat, so a heartbeat without them (a timer's, a probe's)
// would wipe the step: inside `reportingProgress` each beat carries the current step. Like the
// SDK's own activity Context, the current step lives in async-local storage, so the helpers
// deep in create and wait (containers.ts, health.ts, images.ts) need no extra parameter.
// Outside a startMember (ensureContainer and waitHealthy called as activities of their own)
// a beat is a bare heartbeat, as before. Until its first step is known (the image is looked up
// first) a member's beats are bare too: a client reads that as "placed", not a guess.
// In a batch (startMembers: a host's new members in one activity) every beat carries the steps
// of all the batch's members, each member's own store writing its entry in the batch's board.
import { heartbeat } from '@temporalio/activity';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BatchProgress, MemberProgress, MemberStep } from '../../domain/application/memberProgress';

interface MemberReport {
  member: string;
  progress?: MemberProgress;
  /** Sends the heartbeat that carries this member's progress (alone, or with its batch's). */
  publish(report: MemberReport): void;
}

const current = new AsyncLocalStorage<MemberReport>();

const alone = (report: MemberReport): void => (report.progress ? heartbeat(report.progress) : heartbeat());

export function reportingProgress<T>(member: string, work: () => Promise<T>): Promise<T> {
  return current.run({ member, publish: alone }, work);
}

/** The members of one batch, each reporting into one board that every heartbeat carries whole. */
export class BatchReport {
  private readonly board = new Map<string, MemberProgress>();

  /** Runs one member's work with its steps reported on the board. */
  member<T>(member: string, work: () => Promise<T>): Promise<T> {
    return current.run({ member, publish: (r) => this.publish(r) }, work);
  }

  /** The member's last step, without a heartbeat of its own (the next beat carries it). */
  settle(member: string, step: MemberStep): void {
    this.board.set(member, { member, step });
  }

  private publish(report: MemberReport): void {
    if (report.progress) this.board.set(report.member, report.progress);
    if (this.board.size === 0) return heartbeat();
    const details: BatchProgress = { members: [...this.board.values()] };
    heartbeat(details);
  }
}

/** Moves to a step (what it pulls, how far) and says so at once. */
export function reportStep(step: MemberStep, more: Omit<MemberProgress, 'member' | 'step'> = {}): void {
  const store = current.getStore();
  if (!store) return;
  store.progress = { member: store.member, step, ...more };
  store.publish(store);
}

/** A heartbeat: with the current step inside `reportingProgress` or a batch, bare elsewhere. */
export function beat(): void {
  const store = current.getStore();
  if (store) store.publish(store);
  else heartbeat();
}
