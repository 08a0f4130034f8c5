// When a change to an infrastructure's hosts has settled, judged from its status alone. The
// change is a signal: the first polls may come before the workflow has it, so each test says
// what the end looks like (never "nothing is provisioning", which is also true before).
// Pure: views in, answers out.
import type { InfraView } from '../../domain/infra/statusView';

const live = (v: InfraView) => v.hosts.filter((h) => h.status !== 'DRAINING');
const moving = (v: InfraView) => v.hosts.some((h) => h.status === 'PROVISIONING' || h.status === 'DRAINING');

/**
 * How many hosts a resize to `target` ends with, from the view before it: growing takes
 * spares (in file order, as the workflow does), so it stops when they run out.
 */
export function resizeReach(before: InfraView, target: number): number {
  const now = live(before).length;
  return target > now ? Math.min(target, now + (before.spares?.length ?? 0)) : target;
}

/** The resize is done: that many hosts, none provisioning or draining. */
export function resizeSettled(v: InfraView, reach: number): boolean {
  return live(v).length === reach && !moving(v);
}

/** An added host is done once its provisioning ended: AVAILABLE, or FAILED with its problem. */
export function hostAddedSettled(v: InfraView, hostId: string): boolean {
  const h = v.hosts.find((x) => x.id === hostId);
  return h !== undefined && (h.status === 'AVAILABLE' || h.status === 'FAILED');
}

/** A removed host is done once drained and forgotten: no longer among the hosts. */
export function hostRemovedSettled(v: InfraView, hostId: string): boolean {
  return !v.hosts.some((h) => h.id === hostId);
}

/** Why the change cannot be asked for at all (the workflow would only log it), or undefined. */
export function hostChangeProblem(v: InfraView, change: { add: string } | { remove: string }): string | undefined {
  const known = [...v.hosts.map((h) => h.id), ...(v.spares ?? []).map((s) => s.id)];
  if ('add' in change) return known.includes(change.add) ? `infrastructure "${v.name}" already has a host ${change.add}` : undefined;
  if (v.hosts.some((h) => h.id === change.remove)) return undefined;
  return `infrastructure "${v.name}" has no host ${change.remove} (hosts: ${v.hosts.map((h) => h.id).join(', ') || 'none'})`;
}

/** Hosts FAILED at the end that were not FAILED before the change: what the change broke. */
export function newlyFailed(before: InfraView, after: InfraView): string[] {
  const failedBefore = new Set(before.hosts.filter((h) => h.status === 'FAILED').map((h) => h.id));
  return after.hosts.filter((h) => h.status === 'FAILED' && !failedBefore.has(h.id)).map((h) => `${h.id}: ${h.problem ?? 'FAILED'}`);
}
