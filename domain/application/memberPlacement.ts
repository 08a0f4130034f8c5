// The placement a service's members are placed with: the blueprint's, plus what its ports
// imply. Two members of one service cannot publish the same fixed host port on one host.
import type { PlacementSpec, ServiceSpec } from '../blueprint/model';

export function memberPlacement(spec: ServiceSpec): PlacementSpec {
  const fixedPort = spec.ports.some((p) => (p.hostPort ?? 0) !== 0);
  if (!fixedPort || spec.placement.constraints.maxPerHost !== undefined) return spec.placement;
  return { ...spec.placement, constraints: { ...spec.placement.constraints, maxPerHost: 1 } };
}

/**
 * The same placement, keeping off `hosts` (a replacement avoiding the host its member failed
 * on): added to the predicate, which can name a host's `id`.
 */
export function avoidingHosts(placement: PlacementSpec, hosts: readonly string[]): PlacementSpec {
  if (hosts.length === 0) return placement;
  const avoid = hosts.map((h) => `id != ${JSON.stringify(h)}`).join(' and ');
  const predicate = placement.constraints.predicate ? `(${placement.constraints.predicate}) and ${avoid}` : avoid;
  return { ...placement, constraints: { ...placement.constraints, predicate } };
}
