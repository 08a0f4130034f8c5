// What a running service does on request: roll onto a new version (or resize), replace the
// members of a failed or draining host, and run the stop/start/restart effectors.
import { isCancellation } from '@temporalio/workflow';
import type { MemberView } from '../domain/application/status';
import { failureText } from './failureText';
import type { Effector, ServiceHostEvent } from './messages';
import type { ServiceMembers, ServiceVersion } from './serviceMembers';
import type { ServiceState } from './serviceState';
import { membersChange } from '../domain/application/plan';

/**
 * Rolls members onto `next` a batch at a time (`update.batch`, default 1): start-first, new
 * members healthy before old ones go, or stop-first when a fixed host port cannot be held
 * twice (or the blueprint says so); then resizes. A new member that fails stops the rollout
 * and puts the service back on the current version, as many members as it had. Returns the
 * version the service now runs.
 */
export async function applyUpdate(members: ServiceMembers, state: ServiceState, current: ServiceVersion, next: ServiceVersion): Promise<ServiceVersion> {
  const generation = state.nextGeneration(); // never reused, so a refused version's leftovers are never taken for a new one
  const seq = (state.view.rollout?.seq ?? 0) + 1;
  const request = next.request === undefined ? {} : { request: next.request };
  state.view.error = undefined; // a new version starts from a clean slate; failures below set it again
  await removeStale(members, state);
  const rolling = membersChange(current.spec, next.spec) || JSON.stringify([current.env, current.networks, current.dns]) !== JSON.stringify([next.env, next.networks, next.dns]);
  if (rolling) {
    const stopFirst = (next.spec.update?.order ?? defaultOrder(current, next)) === 'stop-first';
    const batch = next.spec.update?.batch ?? 1;
    const olds = state.membersOf(state.view.generation).map((m) => m.member);
    const refuse = async (why: string[]) => {
      const problems = [...why, ...(await rollBack(members, state, current, generation, olds.length, stopFirst))];
      state.view.rollout = { seq, generation, outcome: 'ROLLED_BACK', message: `update stopped and rolled back: ${problems.join('; ')}`, ...request };
      settleAfterRollback(state, problems);
      return current;
    };
    for (let i = 0; i < olds.length; i += batch) {
      const chunk = olds.slice(i, i + batch);
      if (stopFirst) {
        // The old members must be gone before the new ones start; if they will not go, stop here.
        const problems = await members.remove(chunk);
        if (problems.length > 0) return refuse([`could not free ${chunk.join(', ')}: ${problems.join('; ')}`]);
      }
      try {
        await members.start(next, generation, chunk.length);
      } catch (err) {
        if (isCancellation(err)) throw err;
        const problems = await members.removeFailed(generation);
        return refuse(problems.length > 0 ? problems : [failureText(err)]);
      }
      if (!stopFirst) {
        const problems = await members.remove(chunk);
        if (problems.length > 0) state.view.error = `the old version was not fully removed: ${problems.join('; ')}`;
      }
    }
  }
  state.view.generation = generation;
  // A resize keeps the members as they are: they run the new version already.
  if (!rolling) for (const m of state.liveMembers()) m.generation = generation;
  await resize(members, state, next);
  state.view.rollout = { seq, generation, outcome: 'DONE', message: rolling ? 'rolled onto the new version' : current.spec.count === next.spec.count ? 'settings applied, members kept' : 'resized', ...request };
  state.setStatus(state.view.error ? 'FAILED' : 'RUNNING');
  return next;
}

/** Two members cannot publish one fixed host port on one host: such services go stop-first (Swarm's order), others start-first. */
function defaultOrder(current: ServiceVersion, next: ServiceVersion): 'start-first' | 'stop-first' {
  return [...current.spec.ports, ...next.spec.ports].some((p) => (p.hostPort ?? 0) !== 0) ? 'stop-first' : 'start-first';
}

/** Members left on neither the current version nor being started (a removal that failed earlier): they go first. */
async function removeStale(members: ServiceMembers, state: ServiceState): Promise<void> {
  const stale = state.liveMembers().filter((m) => m.generation !== state.view.generation);
  if (stale.length === 0) return;
  const problems = await members.remove(stale.map((m) => m.member));
  if (problems.length > 0) state.view.lastEvent = `members of an earlier version are still there: ${problems.join('; ')}`;
}

/**
 * Back onto the current version, one member at a time, in the rollout's order: each member of
 * the refused generation goes, replaced by one of the current while fewer than `wanted` run
 * it; then slots a stop-first rollout emptied are filled, and any extra trimmed, until exactly
 * `wanted` members run the current version. Answers what went wrong.
 */
async function rollBack(members: ServiceMembers, state: ServiceState, current: ServiceVersion, refused: number, wanted: number, stopFirst: boolean): Promise<string[]> {
  const problems: string[] = [];
  const onCurrent = () => state.membersOf(state.view.generation).length;
  const startOne = async (): Promise<void> => {
    try {
      await members.start(current, state.view.generation, 1);
    } catch (err) {
      if (isCancellation(err)) throw err;
      problems.push(`rollback: ${failureText(err)}`, ...(await members.removeFailed(state.view.generation)));
    }
  };
  for (const r of state.membersOf(refused).map((m) => m.member)) {
    const replace = onCurrent() < wanted;
    if (replace && !stopFirst) await startOne();
    problems.push(...(await members.remove([r])));
    if (replace && stopFirst) await startOne();
  }
  for (let missing = wanted - onCurrent(); missing > 0; missing--) await startOne();
  const extra = onCurrent() - wanted;
  if (extra > 0) problems.push(...(await members.remove(newestFirst(state.membersOf(state.view.generation)).slice(0, extra).map((m) => m.member))));
  return problems;
}

/** RUNNING after a rollback only if every wanted member runs again; otherwise FAILED saying how many are missing. */
function settleAfterRollback(state: ServiceState, problems: string[]): void {
  const missing = state.view.desired - state.liveMembers().filter((m) => m.state === 'RUNNING').length;
  if (missing > 0) state.failed(`rolled back, but ${missing} member${missing === 1 ? '' : 's'} short: ${problems.join('; ')}`);
  else state.setStatus('RUNNING');
}

/** Newest member ids first: the oldest have proven themselves longest. */
function newestFirst(list: MemberView[]): MemberView[] {
  return [...list].sort((a, b) => Number(b.member) - Number(a.member));
}

async function resize(members: ServiceMembers, state: ServiceState, version: ServiceVersion): Promise<void> {
  state.view.desired = version.spec.count;
  const live = state.liveMembers();
  if (live.length < version.spec.count) {
    try {
      await members.start(version, state.view.generation, version.spec.count - live.length);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const problems = await members.removeFailed(state.view.generation);
      state.view.error = `resize to ${version.spec.count}: ${[failureText(err), ...problems].join('; ')}`;
    }
  } else if (live.length > version.spec.count) {
    // Members not running (or left from an older version) go first, then the newest.
    const keepFirst = (m: MemberView) => (m.state === 'RUNNING' && m.generation === state.view.generation ? 1 : 0);
    const extra = newestFirst(live).sort((a, b) => keepFirst(a) - keepFirst(b)).slice(0, live.length - version.spec.count);
    await members.remove(extra.map((m) => m.member));
  }
}

/**
 * Members on a failed host are written off (the infrastructure has released their room) and
 * replaced elsewhere; members on a draining host are replaced first, then removed.
 */
export async function replaceMembersOf(
  members: ServiceMembers,
  state: ServiceState,
  current: ServiceVersion,
  kind: 'failed' | 'draining',
  event: ServiceHostEvent,
): Promise<void> {
  const affected = state.liveMembers().filter((m) => m.hostId === event.hostId && event.members.includes(m.member));
  if (affected.length === 0) return;
  const ids = affected.map((m) => m.member);
  if (kind === 'failed') {
    for (const id of ids) state.removed(id);
    state.forget(ids);
  }
  let outcome: string;
  try {
    const started = await members.start(current, state.view.generation, affected.length);
    outcome = `replaced member${ids.length === 1 ? '' : 's'} ${ids.join(', ')} with ${started.join(', ')}`;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const problems = await members.removeFailed(state.view.generation);
    outcome = `could not replace ${ids.join(', ')}: ${[failureText(err), ...problems].join('; ')}`;
  }
  if (kind === 'draining') {
    const problems = await members.remove(ids);
    if (problems.length > 0) outcome += `; ${problems.join('; ')}`;
  }
  state.view.lastEvent = `host ${event.hostId} ${kind === 'failed' ? 'failed' : 'is draining'} (${event.reason}): ${outcome}`;
}

/**
 * `start` as `docker compose up` means it: members that failed go, stopped ones start again,
 * missing ones are placed anew; RUNNING only once every wanted member runs, else FAILED saying
 * what is missing. Also how the application repairs a service when the same version is deployed.
 */
export async function converge(members: ServiceMembers, state: ServiceState, current: ServiceVersion): Promise<void> {
  state.setStatus('STARTING');
  const problems: string[] = [];
  try {
    const broken = state.liveMembers().filter((m) => m.state !== 'RUNNING' && m.state !== 'STOPPED');
    problems.push(...(await members.remove(broken.map((m) => m.member))));
    for (const m of state.liveMembers().filter((x) => x.state === 'STOPPED')) await members.restart(m.member, current);
    const missing = state.view.desired - state.liveMembers().length;
    if (missing > 0) await members.start(current, state.view.generation, missing);
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The failed members' own errors say it best; the thrown one when there are none.
    const failed = await members.removeFailed(state.view.generation);
    problems.push(...(failed.length > 0 ? failed : [failureText(err)]));
  }
  const running = state.liveMembers().filter((m) => m.state === 'RUNNING').length;
  if (problems.length === 0 && running >= state.view.desired) {
    state.view.error = undefined;
    state.setStatus('RUNNING');
  } else state.failed([`${running} of ${state.view.desired} members running`, ...problems].join('; '));
}

/** stop: every member stopped (kept in place); start: started again and healthy; restart: one at a time. */
export async function runEffector(members: ServiceMembers, state: ServiceState, current: ServiceVersion, effector: Effector): Promise<void> {
  const ids = state.liveMembers().map((m) => m.member);
  try {
    if (effector === 'stop') {
      for (const id of ids) await members.stop(id);
      state.setStatus('STOPPED');
      return;
    }
    state.setStatus('STARTING');
    for (const id of ids) {
      if (effector === 'restart') await members.stop(id);
      await members.restart(id, current);
    }
    state.view.error = undefined;
    state.setStatus('RUNNING');
  } catch (err) {
    if (isCancellation(err)) throw err;
    state.failed(`${effector}: ${failureText(err)}`);
  }
}
