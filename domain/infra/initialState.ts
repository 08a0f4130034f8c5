// The state a fresh infrastructure run starts from: the state carried by continueAsNew when
// there is one, else the spec's hosts with nothing booked and fresh address pools.
import { createIpamState, formatIpamIssues } from '../ipam';
import { newHostEntry } from './hostView';
import type { Booking, InfrastructureSpec, InfraState } from './model';

export type InitialState = { ok: true; state: InfraState } | { ok: false; problem: string };

/**
 * `legacyBookings` come from runs started before reservations carried resources: each becomes
 * a reservation asking for nothing, on the host it named (unknown hosts are dropped).
 */
export function initialInfraState(spec: InfrastructureSpec, carried?: InfraState, legacyBookings: readonly Booking[] = []): InitialState {
  if (carried) return { ok: true, state: carried };
  const ids = new Set<string>();
  for (const host of spec.hosts) {
    if (ids.has(host.id)) return { ok: false, problem: `hosts: id ${host.id} repeats` };
    ids.add(host.id);
  }
  const ipam = createIpamState(spec.pools);
  if (!ipam.ok) return { ok: false, problem: formatIpamIssues(ipam.issues).replace(/\n/g, '; ') };
  const hosts = spec.hosts.map(newHostEntry);
  for (const b of legacyBookings) {
    const entry = hosts.find((h) => h.record.id === b.hostId);
    entry?.reservations.push({ app: b.app, service: b.service, member: b.member, cpus: 0, memoryBytes: 0 });
  }
  return { ok: true, state: { version: 1, hosts, ipam: ipam.state, ...(spec.policy !== undefined && { policy: spec.policy }) } };
}
