// Least CPU: measured use plus booked CPUs, both as a share of the host's CPUs. The measured
// part reflects load nobody booked; the booked part moves as members land during a batch,
// so one batch does not pour every member onto the host that was idle at its start.
import type { HostRanker } from './hostRanker';

export const leastCpuRanker: HostRanker = {
  name: 'least-cpu',
  score: ({ host, reservedCpus }) =>
    host.usage.cpuPercent / 100 + (host.capacity.cpus > 0 ? reservedCpus / host.capacity.cpus : 1),
};
