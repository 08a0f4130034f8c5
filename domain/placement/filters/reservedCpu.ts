// Booked CPUs (what members asked for) must fit in the host's CPUs. Only requests that ask
// for CPUs are checked: a member asking nothing fits anywhere the other filters allow.
import type { PlacementRequest } from '../model';
import type { HostFilter } from './hostFilter';

/** Sums of fractional CPUs (0.1 + 0.2) must not fail a fit by a rounding error. */
const EPSILON = 1e-9;

export function reservedCpuFilter(request: PlacementRequest): HostFilter | undefined {
  const cpus = request.resources?.cpus ?? 0;
  if (cpus <= 0) return undefined;
  return {
    name: 'cpus',
    dynamic: true,
    reject: ({ host, reservedCpus }) =>
      reservedCpus + cpus > host.capacity.cpus + EPSILON ? `no room for cpus=${cpus}` : undefined,
  };
}
