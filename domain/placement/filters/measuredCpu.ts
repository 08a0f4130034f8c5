// Measured CPU use comes from the host's probe, not from bookings: a host busy with work
// Clocker did not book (or with members using more than they asked for) is skipped.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

export function measuredCpuFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const max = constraints.maxCpuPercent;
  if (max === undefined) return undefined;
  return {
    name: 'maxCpuPercent',
    dynamic: false,
    reject: ({ host }) => (host.usage.cpuPercent > max ? `over maxCpuPercent=${max}` : undefined),
  };
}
