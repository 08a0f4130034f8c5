// Small builders for hosts and requests, so each test states only what it is about.
import type { HostView, PlacementRequest, Reservation } from '../../../domain/placement';

export const GiB = 1024 ** 3;

export function host(id: string, overrides: Partial<HostView> = {}): HostView {
  return {
    id,
    healthy: true,
    labels: {},
    capacity: { cpus: 4, memoryBytes: 8 * GiB, maxContainers: 10 },
    usage: { cpuPercent: 0, memoryBytes: 0 },
    reservations: [],
    ...overrides,
  };
}

export function booked(app: string, service: string, members: number | string[], each: Partial<Reservation> = {}): Reservation[] {
  const ids = typeof members === 'number' ? Array.from({ length: members }, (_, i) => `${service}-x${i}`) : members;
  return ids.map((member) => ({ app, service, member, cpus: 0, memoryBytes: 0, ...each }));
}

export function request(members: number | string[], overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  const ids = typeof members === 'number' ? Array.from({ length: members }, (_, i) => `web-${i + 1}`) : members;
  return { app: 'shop', service: 'web', members: ids, ...overrides };
}

/** Member counts per host id, for asserting where a batch went. */
export function countByHost(assignments: readonly { hostId: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of assignments) counts[a.hostId] = (counts[a.hostId] ?? 0) + 1;
  return counts;
}
