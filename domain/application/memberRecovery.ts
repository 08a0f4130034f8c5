// Brooklyn's failure chain, as pure decisions: failure detector → restarter → replacer →
// ON_FIRE. A member that died is restarted in place while it has restarts left in its window;
// past that it is replaced by a new member (on another host where there is one); past the
// service's replacement budget the service goes ON_FIRE and stops acting until an operator
// (or a new version) clears it. The service workflow applies the decisions; the books are
// plain data carried across continue-as-new.
import type { PolicySpec, ReplacerPolicy, RestarterPolicy } from '../blueprint/model';

/** What the monitor saw happen to a member's container. */
export type MemberFailureKind = 'die' | 'oom' | 'destroy' | 'unhealthy' | 'missing' | 'exited';

/** The chain that applies when a service declares no policy: heal by default, as Swarm and Nomad do. */
export const DEFAULT_RESTARTER: RestarterPolicy = { maxRestarts: 3, windowMs: 300_000 };
export const DEFAULT_REPLACER: ReplacerPolicy = { failureThreshold: 3, avoidFailedHost: true };

export interface RecoveryPolicy {
  restarter: RestarterPolicy;
  replacer: ReplacerPolicy;
}

/** Declared parts win; whatever is not declared takes the default, so every service has a whole chain. */
export function recoveryPolicy(policies: PolicySpec | undefined): RecoveryPolicy {
  return { restarter: policies?.restarter ?? DEFAULT_RESTARTER, replacer: policies?.replacer ?? DEFAULT_REPLACER };
}

/** What the chain remembers: when each member was restarted, when members were replaced, whether it gave up. */
export interface RecoveryBooks {
  /** Workflow times (ms) of restarts in place, by member id; pruned to the window. */
  restarts: Record<string, number[]>;
  /** Workflow times (ms) of replacements; pruned to the window. */
  replacements: number[];
  /** Set once the chain gives up: nothing is restarted or replaced until it is cleared. */
  onFire?: { at: number; reason: string };
}

export const emptyBooks = (): RecoveryBooks => ({ restarts: {}, replacements: [] });

export interface MemberFailure {
  member: string;
  hostId: string;
  kind: MemberFailureKind | 'restart failed' | 'replacement failed';
  /** Workflow time (ms) the service handles it at. */
  at: number;
  /** For people: `killed (exit 137)`, `container removed`, … */
  detail: string;
}

export type RecoveryDecision =
  | { action: 'restart'; member: string; attempt: number; of: number }
  | { action: 'replace'; member: string; avoidHosts: string[]; replacement: number; of: number }
  | { action: 'onFire'; member: string; reason: string }
  /** Already ON_FIRE: no churn; the failure is only noted. */
  | { action: 'hold'; member: string; reason: string };

/**
 * The next step for a failed member, and the books after it. A restart or a replacement is
 * booked as it is decided, so a failed attempt counts and the chain always moves on.
 */
export function decideRecovery(books: RecoveryBooks, policy: RecoveryPolicy, failure: MemberFailure): { decision: RecoveryDecision; books: RecoveryBooks } {
  const { member, at } = failure;
  if (books.onFire) return { decision: { action: 'hold', member, reason: books.onFire.reason }, books };
  const pruned = prune(books, policy, at);
  const { maxRestarts, windowMs } = policy.restarter;
  const restarts = pruned.restarts[member] ?? [];
  // A replacement that failed to start has no container to restart: it goes straight on to the replacer.
  if (failure.kind !== 'replacement failed' && restarts.length < maxRestarts) {
    const next = { ...pruned, restarts: { ...pruned.restarts, [member]: [...restarts, at] } };
    return { decision: { action: 'restart', member, attempt: restarts.length + 1, of: maxRestarts }, books: next };
  }
  const { failureThreshold, avoidFailedHost } = policy.replacer;
  if (pruned.replacements.length < failureThreshold) {
    const { [member]: _gone, ...others } = pruned.restarts;
    const next = { ...pruned, restarts: others, replacements: [...pruned.replacements, at] };
    const replacement = pruned.replacements.length + 1;
    return { decision: { action: 'replace', member, avoidHosts: avoidFailedHost ? [failure.hostId] : [], replacement, of: failureThreshold }, books: next };
  }
  const reason =
    `member ${member} failed again (${failure.detail}) after ${maxRestarts} restart${maxRestarts === 1 ? '' : 's'} and ` +
    `${failureThreshold} replacement${failureThreshold === 1 ? '' : 's'} within ${formatWindow(windowMs)}: not restarting or replacing until a new version or a restart`;
  return { decision: { action: 'onFire', member, reason }, books: { ...pruned, onFire: { at, reason } } };
}

/** What a new version or an operator's restart/start leaves: a clean slate. */
export function clearRecovery(): RecoveryBooks {
  return emptyBooks();
}

/** Forgets a member that left the service (removed, replaced): its restarts no longer matter. */
export function forgetMembers(books: RecoveryBooks, members: string[]): RecoveryBooks {
  const restarts = Object.fromEntries(Object.entries(books.restarts).filter(([m]) => !members.includes(m)));
  return { ...books, restarts };
}

function prune(books: RecoveryBooks, policy: RecoveryPolicy, at: number): RecoveryBooks {
  const since = at - policy.restarter.windowMs;
  const restarts: Record<string, number[]> = {};
  for (const [m, times] of Object.entries(books.restarts)) {
    const kept = times.filter((t) => t > since);
    if (kept.length > 0) restarts[m] = kept;
  }
  return { ...books, restarts, replacements: books.replacements.filter((t) => t > since) };
}

function formatWindow(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** One line for a member event, e.g. `killed (exit 137)`. */
export function describeFailure(kind: MemberFailure['kind'], exitCode?: number): string {
  switch (kind) {
    case 'die':
    case 'exited':
      return exitCode === undefined ? 'exited' : exitCode === 137 ? 'killed (exit 137)' : `exited with code ${exitCode}`;
    case 'oom':
      return 'out of memory';
    case 'destroy':
    case 'missing':
      return 'container removed';
    case 'unhealthy':
      return 'health check failing';
    default:
      return kind;
  }
}
