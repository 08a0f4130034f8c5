// Spread: at most k members of this service per zone, so losing a zone loses at most k.
// Hosts without a zone are counted together as one zone, `(none)`.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

export function maxPerZoneFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const max = constraints.maxPerZone;
  if (max === undefined) return undefined;
  return {
    name: 'maxPerZone',
    dynamic: true,
    reject: ({ zoneKey }, counts) =>
      (counts.zoneMembers.get(zoneKey) ?? 0) >= max ? `zone ${zoneKey || '(none)'} at maxPerZone=${max}` : undefined,
  };
}
