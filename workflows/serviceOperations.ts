// What a running service does on request: roll onto a new version (or resize), replace the
// members of a failed or draining host, and run the stop/start/restart effectors.
import { failureText } from './failureText';
import type { Effector, ServiceHostEvent } from './messages';
import type { ServiceMembers, ServiceVersion } from './serviceMembers';
import type { ServiceState } from './serviceState';
import { changedFields } from '../domain/application/plan';

/**
 * Rolls members onto `next` one at a time (a new member is healthy before an old one goes,
 * unless a fixed host port forces stop-first), then resizes. A new member that fails stops the rollout and puts the replaced members back
 * on the current version. Returns the version the service now runs.
 */
export async function applyUpdate(members: ServiceMembers, state: ServiceState, current: ServiceVersion, next: ServiceVersion): Promise<ServiceVersion> {
  const generation = state.view.generation + 1;
  const seq = (state.view.rollout?.seq ?? 0) + 1;
  const request = next.request === undefined ? {} : { request: next.request };
  state.view.error = undefined; // a new version starts from a clean slate; failures below set it again
  const rolling = changedFields(current.spec, next.spec).some((f) => f !== 'count' && f !== 'size') || JSON.stringify([current.env, current.networks, current.dns]) !== JSON.stringify([next.env, next.networks, next.dns]);
  if (rolling) {
    // A fixed host port cannot be held by the old and the new member at once on one host:
    // such a service replaces stop-first (as Swarm's update order stop-first), others start-first.
    const stopFirst = [...current.spec.ports, ...next.spec.ports].some((p) => (p.hostPort ?? 0) !== 0);
    const replaced: string[] = [];
    for (const old of state.membersOf(state.view.generation)) {
      if (stopFirst) {
        // The port must be free before the new member starts; if the old one will not go, stop here.
        const problems = await members.remove([old.member]);
        if (problems.length > 0) {
          state.view.rollout = { seq, generation, outcome: 'ROLLED_BACK', message: `update stopped: could not free member ${old.member}: ${problems.join('; ')}`, ...request };
          settleAfterRollback(state, problems);
          return current;
        }
      }
      try {
        replaced.push(...(await members.start(next, generation, 1)));
      } catch (err) {
        const problems = await members.removeFailed(generation).then((p) => (p.length > 0 ? p : [failureText(err)]));
        // Back to the current version for every member already replaced (and the slot just
        // emptied, stop-first), one at a time too.
        for (const r of stopFirst ? [...replaced, undefined] : replaced) {
          try {
            if (stopFirst && r) problems.push(...(await members.remove([r])));
            await members.start(current, state.view.generation, 1);
            if (!stopFirst && r) problems.push(...(await members.remove([r])));
          } catch (rollbackErr) {
            problems.push(`rollback${r ? ` of member ${r}` : ''}: ${failureText(rollbackErr)}`, ...(await members.removeFailed(state.view.generation)));
          }
        }
        state.view.rollout = { seq, generation, outcome: 'ROLLED_BACK', message: `update stopped and rolled back: ${problems.join('; ')}`, ...request };
        settleAfterRollback(state, problems);
        return current;
      }
      if (!stopFirst) await removeOld(members, state, old.member);
    }
  }
  state.view.generation = generation;
  // A resize keeps the members as they are: they run the new version already.
  if (!rolling) for (const m of state.liveMembers()) m.generation = generation;
  await resize(members, state, next);
  state.view.rollout = { seq, generation, outcome: 'DONE', message: rolling ? 'rolled onto the new version' : 'resized', ...request };
  state.setStatus(state.view.error ? 'FAILED' : 'RUNNING');
  return next;
}

/** RUNNING after a rollback only if every wanted member runs again; otherwise FAILED saying how many are missing. */
function settleAfterRollback(state: ServiceState, problems: string[]): void {
  const missing = state.view.desired - state.liveMembers().filter((m) => m.state === 'RUNNING').length;
  if (missing > 0) state.failed(`rolled back, but ${missing} member${missing === 1 ? '' : 's'} short: ${problems.join('; ')}`);
  else state.setStatus('RUNNING');
}

async function removeOld(members: ServiceMembers, state: ServiceState, member: string): Promise<void> {
  const problems = await members.remove([member]);
  if (problems.length > 0) state.view.error = `the old version was not fully removed: ${problems.join('; ')}`;
}

async function resize(members: ServiceMembers, state: ServiceState, version: ServiceVersion): Promise<void> {
  state.view.desired = version.spec.count;
  const live = state.liveMembers();
  if (live.length < version.spec.count) {
    try {
      await members.start(version, state.view.generation, version.spec.count - live.length);
    } catch (err) {
      const problems = await members.removeFailed(state.view.generation);
      state.view.error = `resize to ${version.spec.count}: ${[failureText(err), ...problems].join('; ')}`;
    }
  } else if (live.length > version.spec.count) {
    // The newest members go first; the oldest have proven themselves longest.
    const extra = [...live].sort((a, b) => Number(b.member) - Number(a.member)).slice(0, live.length - version.spec.count);
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
    const problems = await members.removeFailed(state.view.generation);
    outcome = `could not replace ${ids.join(', ')}: ${[failureText(err), ...problems].join('; ')}`;
  }
  if (kind === 'draining') {
    const problems = await members.remove(ids);
    if (problems.length > 0) outcome += `; ${problems.join('; ')}`;
  }
  state.view.lastEvent = `host ${event.hostId} ${kind === 'failed' ? 'failed' : 'is draining'} (${event.reason}): ${outcome}`;
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
    state.failed(`${effector}: ${failureText(err)}`);
  }
}
