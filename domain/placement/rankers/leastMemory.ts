// Least memory: measured use plus booked memory, both as a share of the host's memory (the
// same reasoning as least CPU).
import type { HostRanker } from './hostRanker';

export const leastMemoryRanker: HostRanker = {
  name: 'least-memory',
  score: ({ host, reservedMemoryBytes }) =>
    host.capacity.memoryBytes > 0 ? (host.usage.memoryBytes + reservedMemoryBytes) / host.capacity.memoryBytes : 2,
};
