// Correcting a host's `host.address` on a running infrastructure: the local infrastructure
// registered by an earlier release said 127.0.0.1, which inside a container is the container
// itself; `clocker up` finds the right address from the engine and sends it here. Members
// placed from then on publish the new address; running ones keep theirs until replaced.
import type { InfraState } from './model';

export interface HostAddressChange {
  hostId: string;
  address: string;
}

/** Why the change cannot apply, or undefined. */
export function hostAddressProblem(state: InfraState, req: unknown): string | undefined {
  if (typeof req !== 'object' || req === null) return `a host address change must be an object, got ${JSON.stringify(req)}`;
  const { hostId, address } = req as Partial<HostAddressChange>;
  if (typeof address !== 'string' || !/^[A-Za-z0-9.:-]{1,253}$/.test(address)) return `address must be a host name or IP address, got ${JSON.stringify(address)}`;
  if (!state.hosts.some((h) => h.record.id === hostId)) return `no host ${JSON.stringify(hostId)} (hosts: ${state.hosts.map((h) => h.record.id).join(', ') || 'none'})`;
  return undefined;
}

export function setHostAddress(state: InfraState, req: HostAddressChange): void {
  const entry = state.hosts.find((h) => h.record.id === req.hostId);
  if (entry) entry.record.address = req.address;
}
