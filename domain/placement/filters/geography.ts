// Region and zone constraints: the host must sit in one of the listed places. A host that
// does not say where it is never matches a geography constraint.
import type { PlacementConstraints } from '../model';
import type { HostFilter } from './hostFilter';

function describe(kind: string, allowed: readonly string[]): string {
  return `not in ${kind} ${allowed.join(' or ')}`;
}

export function geographyFilter(constraints: PlacementConstraints): HostFilter | undefined {
  const { regions, zones } = constraints;
  const checkRegion = regions !== undefined && regions.length > 0;
  const checkZone = zones !== undefined && zones.length > 0;
  if (!checkRegion && !checkZone) return undefined;
  return {
    name: 'geography',
    dynamic: false,
    reject: ({ host }) => {
      if (checkRegion && (host.region === undefined || !regions.includes(host.region))) return describe('region', regions);
      if (checkZone && (host.zone === undefined || !zones.includes(host.zone))) return describe('zone', zones);
      return undefined;
    },
  };
}
