// Turning filter verdicts into data and one readable line. Rejections are grouped by
// (filter, reason) and counted, so "3 hosts: 2 over maxContainers=10, 1 missing label
// region=eu" is computed, not written by hand.
import type { HostFilter } from './filters/hostFilter';
import type { BatchCounts, HostSlot } from './hostSlot';
import type { Rejection } from './model';

/** The first filter that rejects the slot, with its reason; undefined when feasible. */
export function firstRejection(
  filters: readonly HostFilter[],
  slot: HostSlot,
  counts: BatchCounts,
): { filter: HostFilter; reason: string } | undefined {
  for (const filter of filters) {
    const reason = filter.reject(slot, counts);
    if (reason !== undefined) return { filter, reason };
  }
  return undefined;
}

/** Collects rejections; `order` is the stack position of each filter, for stable sorting. */
export class RejectionTally {
  private readonly groups = new Map<string, Rejection & { order: number }>();

  add(filter: HostFilter, order: number, reason: string, hostId: string): void {
    const key = `${filter.name}\u0000${reason}`;
    const group = this.groups.get(key);
    if (group) {
      group.hosts++;
      group.hostIds.push(hostId);
    } else {
      this.groups.set(key, { filter: filter.name, reason, hosts: 1, hostIds: [hostId], order });
    }
  }

  /** Largest groups first, then stack order, then reason text. */
  list(): Rejection[] {
    return [...this.groups.values()]
      .sort((a, b) => b.hosts - a.hosts || a.order - b.order || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
      .map(({ filter, reason, hosts, hostIds }) => ({ filter, reason, hosts, hostIds }));
  }
}

/** Every filter on every host as things stand now: O(hosts × filters), used once per call. */
export function tallyRejections(filters: readonly HostFilter[], slots: readonly HostSlot[], counts: BatchCounts): {
  feasible: number;
  rejections: Rejection[];
} {
  const tally = new RejectionTally();
  let feasible = 0;
  for (const slot of slots) {
    const rejected = firstRejection(filters, slot, counts);
    if (rejected) tally.add(rejected.filter, filters.indexOf(rejected.filter), rejected.reason, slot.host.id);
    else feasible++;
  }
  return { feasible, rejections: tally.list() };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 hosts: 1 feasible, 2 over maxContainers=10` (feasible omitted when 0). */
export function describeHosts(total: number, feasible: number, rejections: readonly Rejection[]): string {
  const parts = rejections.map((r) => `${r.hosts} ${r.reason}`);
  if (feasible > 0) parts.unshift(`${feasible} feasible`);
  return parts.length === 0 ? plural(total, 'host') : `${plural(total, 'host')}: ${parts.join(', ')}`;
}

/** `h1: 3, h2: 2`, at most `limit` hosts then `… N more`, so a summary stays one line. */
export function describeChosen(chosen: readonly { hostId: string; members: number }[], limit = 5): string {
  const shown = chosen.slice(0, limit).map((c) => `${c.hostId}: ${c.members}`);
  if (chosen.length > limit) shown.push(`… ${chosen.length - limit} more`);
  return shown.join(', ');
}
