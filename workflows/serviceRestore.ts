// A service short of members places the missing ones by itself, as Swarm and Nomad do: after a
// replacement found no host ("no host fits"), a host failed with nowhere to move its members, or
// a start failed. It tries again with backoff until the size is back; capacity that returns (a
// host back from failure, a host added) is found by the next try, without anyone asking.
import { isCancellation } from '@temporalio/workflow';
import { failureText } from './failureText';
import type { DutyCarry, ServiceDuty } from './serviceDuties';
import type { ServiceMembers, ServiceVersion } from './serviceMembers';
import type { ServiceState } from './serviceState';
import type { ServiceStatus } from '../domain/application/status';

/** The statuses in which a shortfall is the service's own to mend (not an operator's stop, not ON_FIRE, not mid-operation). */
const MENDING: readonly ServiceStatus[] = ['RUNNING', 'FAILED'];
/** Waits between tries: a second first (a host failure's replacement may have found room for only some), then doubling to once a minute; every five after an hour of failures. */
const BACKOFF_MS = [1_000, 5_000, 10_000, 20_000, 40_000, 60_000];
const PATIENT_AFTER_TRIES = 60;
const PATIENT_MS = 300_000;

export function restoreDelay(failedTries: number): number {
  if (failedTries >= PATIENT_AFTER_TRIES) return PATIENT_MS;
  return BACKOFF_MS[Math.min(failedTries, BACKOFF_MS.length - 1)] ?? PATIENT_MS;
}

interface RestoreCarry {
  failedTries: number;
  /** When the shortfall was first seen, for the next try's time. */
  shortSince?: number;
}

export class RestoreSize implements ServiceDuty {
  readonly name = 'restore';
  private failedTries: number;
  private shortSince: number | undefined;

  constructor(
    private readonly members: ServiceMembers,
    private readonly state: ServiceState,
    private readonly current: () => ServiceVersion,
    carried?: DutyCarry,
  ) {
    const c = carried as Partial<RestoreCarry> | undefined;
    this.failedTries = c?.failedTries ?? 0;
    this.shortSince = c?.shortSince;
  }

  /** Members wanted but not running. */
  private missing(): number {
    return this.state.view.desired - this.state.liveMembers().filter((m) => m.state === 'RUNNING').length;
  }

  dueAt(): number | undefined {
    if (!MENDING.includes(this.state.view.status) || this.missing() <= 0) {
      this.failedTries = 0;
      this.shortSince = undefined;
      return undefined;
    }
    this.shortSince ??= Date.now();
    return this.shortSince + restoreDelay(this.failedTries);
  }

  async run(): Promise<boolean> {
    const missing = this.missing();
    if (missing <= 0) return false;
    const { state, members } = this;
    const current = this.current();
    const problems: string[] = [];
    try {
      // Members left broken (a replacement that failed midway) go first: their room may be what is needed.
      const broken = state.liveMembers().filter((m) => m.state !== 'RUNNING' && m.state !== 'STOPPED');
      problems.push(...(await members.remove(broken.map((m) => m.member))));
      const toPlace = state.view.desired - state.liveMembers().length;
      if (toPlace > 0) problems.push(...(await this.placeWhatFits(current, toPlace)));
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failed = await members.removeFailed(state.view.generation);
      problems.push(...(failed.length > 0 ? failed : [failureText(err)]));
    }
    const still = this.missing();
    if (still <= 0) {
      state.view.lastEvent = `restored to ${state.view.desired} member${state.view.desired === 1 ? '' : 's'} (${missing} placed again)`;
      state.view.error = undefined;
      state.setStatus('RUNNING');
      this.failedTries = 0;
      this.shortSince = undefined;
    } else {
      this.failedTries += 1;
      this.shortSince = Date.now();
      const wait = Math.round(restoreDelay(this.failedTries) / 1000);
      state.view.lastEvent = `${still} of ${state.view.desired} member${state.view.desired === 1 ? '' : 's'} still missing (${problems.join('; ') || 'not placed'}); trying again in ${wait}s`;
    }
    return true;
  }

  /**
   * All at once when they fit; when the scheduler refuses the batch (room for fewer than
   * asked), one at a time until it refuses, so whatever fits runs while the rest waits.
   */
  private async placeWhatFits(current: ServiceVersion, count: number): Promise<string[]> {
    const { members, state } = this;
    const attempt = async (n: number): Promise<string[]> => {
      try {
        await members.start(current, state.view.generation, n);
        return [];
      } catch (err) {
        if (isCancellation(err)) throw err;
        const failed = await members.removeFailed(state.view.generation);
        return failed.length > 0 ? failed : [failureText(err)];
      }
    };
    const refused = await attempt(count);
    if (refused.length === 0 || count === 1) return refused;
    for (let placed = 0; placed < count; placed++) {
      const problems = await attempt(1);
      if (problems.length > 0) return problems;
    }
    return [];
  }

  /** Room was freed since a refusal: the next try is now. Answers whether the service is short (so a try is due). */
  nudge(): boolean {
    if (this.dueAt() === undefined) return false;
    this.failedTries = 0;
    this.shortSince = Date.now() - restoreDelay(0);
    return true;
  }

  carry(): DutyCarry {
    const c: RestoreCarry = { failedTries: this.failedTries, ...(this.shortSince !== undefined ? { shortSince: this.shortSince } : {}) };
    return { ...c };
  }
}
