// What a user predicate can see of a host. Only attributes that stay put during a batch are
// offered (no container counts or bookings): the predicate runs once per host per batch,
// and limits that move as members land have their own filters (maxContainers, maxPerHost).
import type { HostView } from '../model';
import { measuredMemoryPercent } from '../filters/measuredMemory';

export type HostAttributes = Record<string, string | number | boolean | undefined>;

/** Names a predicate may use besides `labels.<key>`; the validator rejects anything else. */
export const HOST_ATTRIBUTE_NAMES = [
  'id',
  'healthy',
  'status',
  'region',
  'zone',
  'cpus',
  'memoryBytes',
  'maxContainers',
  'cpuPercent',
  'memoryPercent',
  'usedMemoryBytes',
] as const;

/** Labels are flattened to `labels.<key>` because filtrex reads `a.b` as one name. */
export function hostAttributes(host: HostView): HostAttributes {
  const attributes: HostAttributes = {
    id: host.id,
    healthy: host.healthy,
    status: host.status,
    region: host.region,
    zone: host.zone,
    cpus: host.capacity.cpus,
    memoryBytes: host.capacity.memoryBytes,
    maxContainers: host.capacity.maxContainers,
    cpuPercent: host.usage.cpuPercent,
    memoryPercent: measuredMemoryPercent(host.usage.memoryBytes, host.capacity.memoryBytes),
    usedMemoryBytes: host.usage.memoryBytes,
  };
  for (const [key, value] of Object.entries(host.labels)) attributes[`labels.${key}`] = value;
  return attributes;
}
