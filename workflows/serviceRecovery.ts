// A service's side of member monitoring: a member event from a host's monitor is checked
// (is this a member the service believes RUNNING, and is its container really down?), then
// the failure chain's decisions (domain/application/memberRecovery.ts) are carried out:
// restart in place, replace elsewhere, or go ON_FIRE and stop acting.
import { isCancellation } from '@temporalio/workflow';
import {
  decideRecovery,
  describeFailure,
  forgetMembers,
  recoveryPolicy,
  type MemberFailure,
} from '../domain/application/memberRecovery';
import { failureText } from './failureText';
import type { MemberEvent } from './messages';
import type { ServiceMembers, ServiceVersion } from './serviceMembers';
import type { ServiceState } from './serviceState';

/** How many of the chain's doings `clocker status` keeps. */
const KEPT = 5;

/** Whether the event may concern a member this service runs: answered without any command. */
export function worthChecking(state: ServiceState, event: MemberEvent): boolean {
  const m = state.liveMembers().find((x) => x.member === event.member);
  if (!m || m.state !== 'RUNNING') return false; // stopping, removing, starting, or already handled
  // An event about an earlier container of the member (one removed and made anew) is old news.
  return !(event.containerId && m.containerId && event.containerId !== m.containerId);
}

/**
 * Handles one member event; answers whether anything changed (the caller then reports).
 * The events are hints: the container is inspected, and a member that runs is left alone.
 */
export async function recoverMember(members: ServiceMembers, state: ServiceState, current: ServiceVersion, event: MemberEvent, now: () => number): Promise<boolean> {
  if (!worthChecking(state, event)) return false;
  // An `unhealthy` from the watcher's probe is probed once more here, with the current check.
  let check: Awaited<ReturnType<ServiceMembers['check']>>;
  try {
    check = await members.check(event.member, event.event === 'unhealthy' ? current : undefined);
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The engine does not answer: the host may be failing, which its own monitoring handles as a whole.
    const m = state.liveMembers().find((x) => x.member === event.member);
    note(state, `member ${event.member} on ${m?.hostId ?? '?'} reported ${event.event}, but its host's engine did not answer: left to the host's monitoring (${failureText(err)})`);
    return true;
  }
  if (!check) return false;
  const unhealthy = check.exists && check.health === 'unhealthy';
  if (check.exists && check.running && !(event.event === 'unhealthy' && unhealthy)) return false;
  if (!worthChecking(state, event)) return false; // something else handled it while we looked
  const kind = !check.exists
    ? event.event === 'missing' ? 'missing' : 'destroy'
    : !check.running
      ? check.oomKilled ? 'oom' : event.event === 'unhealthy' ? 'exited' : event.event
      : 'unhealthy';
  const exitCode = check.exists && !check.running ? check.exitCode : event.exitCode;
  const m = state.liveMembers().find((x) => x.member === event.member)!;
  const why = kind === 'unhealthy' && check.exists && check.problem ? `: ${check.problem}` : '';
  const failure: MemberFailure = { member: m.member, hostId: m.hostId, kind, at: now(), detail: `${describeFailure(kind, exitCode)}${why}` };
  state.memberFailed(m.member, failure.detail);
  await runChain(members, state, current, failure, now);
  return true;
}

async function runChain(members: ServiceMembers, state: ServiceState, current: ServiceVersion, first: MemberFailure, now: () => number): Promise<void> {
  const policy = recoveryPolicy(current.spec.policies);
  let failure: MemberFailure | undefined = first;
  while (failure) {
    const { decision, books } = decideRecovery(state.recovery, policy, failure);
    state.recovery = books;
    const what = `member ${failure.member} on ${failure.hostId} ${failure.detail}`;
    const f: MemberFailure = failure;
    failure = undefined;
    switch (decision.action) {
      case 'hold':
        note(state, `${what}; the service is ON_FIRE, so it is left as it is`);
        break;
      case 'onFire':
        state.setStatus('ON_FIRE');
        state.view.error = decision.reason;
        note(state, `${what}: ON_FIRE, ${decision.reason}`);
        break;
      case 'restart':
        try {
          // A container that runs but fails its health check is stopped first: starting it again means a fresh process.
          if (f.kind === 'unhealthy') await members.stop(decision.member);
          await members.restart(decision.member, current);
          const m = state.liveMembers().find((x) => x.member === decision.member);
          if (m) m.restarts = (m.restarts ?? 0) + 1;
          note(state, `${what}: restarted in place (${decision.attempt} of ${decision.of} in the window)`);
        } catch (err) {
          if (isCancellation(err)) throw err;
          note(state, `${what}: restart ${decision.attempt} of ${decision.of} failed: ${failureText(err)}`);
          failure = { ...f, kind: 'restart failed', at: now(), detail: `failed to restart: ${failureText(err)}` };
        }
        break;
      case 'replace': {
        // The dead member goes first: its room (a fixed host port, say) may be what the replacement needs.
        const problems = await members.remove([decision.member]);
        state.recovery = forgetMembers(state.recovery, [decision.member]);
        try {
          // Off the failed host where the scheduler has another; on it otherwise (the placement activity decides).
          const [started] = await members.start(current, state.view.generation, 1, decision.avoidHosts);
          const host = state.liveMembers().find((x) => x.member === started)?.hostId ?? '?';
          note(state, `${what}: replaced by member ${started} on ${host} (replacement ${decision.replacement} of ${decision.of} in the window)${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`);
        } catch (err) {
          if (isCancellation(err)) throw err;
          const failed = state.membersOf(state.view.generation).find((x) => x.state !== 'RUNNING');
          const cleanup = await members.removeFailed(state.view.generation);
          note(state, `${what}: its replacement failed: ${[failureText(err), ...cleanup].join('; ')}`);
          failure = { member: failed?.member ?? f.member, hostId: failed?.hostId ?? f.hostId, kind: 'replacement failed', at: now(), detail: `replacement failed: ${failureText(err)}` };
        }
        break;
      }
    }
  }
}

function note(state: ServiceState, text: string): void {
  state.view.lastEvent = text;
  state.view.recoveries = [...(state.view.recoveries ?? []), text].slice(-KEPT);
}

