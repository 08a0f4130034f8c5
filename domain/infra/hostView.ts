// How the scheduler sees one host. The infrastructure keeps HostRecords (what an operator
// registered) and derives placement's HostView from them on each decision, so the record
// stays the one source of truth for capacity, labels and geography.
import type { HostView } from '../placement';
import type { HostEntry, HostRecord, HostUsage } from './model';

/**
 * A capacity the operator did not declare must not make every reservation fail, so it counts
 * as unbounded. The largest safe integer keeps the state plain JSON (Infinity is not).
 */
export const UNDECLARED_CAPACITY = Number.MAX_SAFE_INTEGER;

export const NO_USAGE: HostUsage = { cpuPercent: 0, memoryBytes: 0 };

export function hostView(entry: HostEntry): HostView {
  const { record } = entry;
  return {
    id: record.id,
    // Only AVAILABLE hosts take members; the status names the reason in explanations.
    healthy: record.status === 'AVAILABLE',
    status: record.status,
    labels: record.labels,
    region: record.region,
    zone: record.zone,
    capacity: {
      cpus: record.cpus ?? UNDECLARED_CAPACITY,
      memoryBytes: record.memoryBytes ?? UNDECLARED_CAPACITY,
      maxContainers: record.maxContainers,
    },
    usage: entry.usage,
    reservations: entry.reservations,
  };
}

export function newHostEntry(record: HostRecord): HostEntry {
  return { record, usage: { ...NO_USAGE }, reservations: [] };
}
