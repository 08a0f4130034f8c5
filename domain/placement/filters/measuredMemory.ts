// Measured memory use as a share of the host's memory. A host that reports no memory
// capacity counts as full, so it is never chosen by accident.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

export function measuredMemoryPercent(used: number, capacity: number): number {
  return capacity > 0 ? (used / capacity) * 100 : 100;
}

export function measuredMemoryFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const max = constraints.maxMemoryPercent;
  if (max === undefined) return undefined;
  return {
    name: 'maxMemoryPercent',
    dynamic: false,
    reject: ({ host }) =>
      measuredMemoryPercent(host.usage.memoryBytes, host.capacity.memoryBytes) > max ? `over maxMemoryPercent=${max}` : undefined,
  };
}
