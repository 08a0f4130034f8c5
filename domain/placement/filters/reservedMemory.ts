// Booked memory (what members asked for) must fit in the host's memory.
import type { PlacementRequest } from '../model';
import type { HostFilter } from './hostFilter';

export function reservedMemoryFilter(request: PlacementRequest): HostFilter | undefined {
  const memoryBytes = request.resources?.memoryBytes ?? 0;
  if (memoryBytes <= 0) return undefined;
  return {
    name: 'memory',
    dynamic: true,
    reject: ({ host, reservedMemoryBytes }) =>
      reservedMemoryBytes + memoryBytes > host.capacity.memoryBytes ? `no room for memoryBytes=${memoryBytes}` : undefined,
  };
}
