// Anti-affinity: at most k members of this service on one host, so losing a host loses at
// most k members.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

export function maxPerHostFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const max = constraints.maxPerHost;
  if (max === undefined) return undefined;
  return {
    name: 'maxPerHost',
    dynamic: true,
    reject: ({ serviceMembers }) => (serviceMembers >= max ? `at maxPerHost=${max}` : undefined),
  };
}
