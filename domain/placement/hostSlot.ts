// The working copy of one host during a batch decision. Built once per batch from the
// host's reservations, then updated in place as members land on it, so member 2 sees
// member 1's booking without re-reading the reservations list.
import type { HostView, PlacementRequest } from './model';

export interface HostSlot {
  /** Position in the input: the final, deterministic tie-break. */
  index: number;
  host: HostView;
  /** Spread-per-zone groups hosts by this; hosts without a zone share '' . */
  zoneKey: string;
  containers: number;
  reservedCpus: number;
  reservedMemoryBytes: number;
  /** Members of the requested app/service already on this host. */
  serviceMembers: number;
  /** The random ranker's ticket (see rankers/random.ts); advanced whenever the host is chosen. */
  ticket: number;
  /** Ranker scores, in strategy order; refreshed whenever this host changes. */
  scores: number[];
}

/** Counts shared across hosts during a batch (today: members of the service per zone). */
export interface BatchCounts {
  /** In memory only (never in workflow state), so a Map is fine here. */
  zoneMembers: Map<string, number>;
}

export function buildSlots(hosts: readonly HostView[], request: PlacementRequest): { slots: HostSlot[]; counts: BatchCounts } {
  const counts: BatchCounts = { zoneMembers: new Map() };
  const slots = hosts.map((host, index): HostSlot => {
    const slot: HostSlot = {
      index,
      host,
      zoneKey: host.zone ?? '',
      containers: host.reservations.length,
      reservedCpus: 0,
      reservedMemoryBytes: 0,
      serviceMembers: 0,
      ticket: 0,
      scores: [],
    };
    for (const r of host.reservations) {
      slot.reservedCpus += r.cpus;
      slot.reservedMemoryBytes += r.memoryBytes;
      if (r.app === request.app && r.service === request.service) slot.serviceMembers++;
    }
    counts.zoneMembers.set(slot.zoneKey, (counts.zoneMembers.get(slot.zoneKey) ?? 0) + slot.serviceMembers);
    return slot;
  });
  return { slots, counts };
}

/** Books one member on a slot; the caller refreshes the slot's scores. */
export function bookOnSlot(slot: HostSlot, counts: BatchCounts, cpus: number, memoryBytes: number): void {
  slot.containers++;
  slot.reservedCpus += cpus;
  slot.reservedMemoryBytes += memoryBytes;
  slot.serviceMembers++;
  counts.zoneMembers.set(slot.zoneKey, (counts.zoneMembers.get(slot.zoneKey) ?? 0) + 1);
}
