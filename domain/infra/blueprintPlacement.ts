// A service's blueprint placement rules, in the scheduler's vocabulary. The blueprint model
// always has every list (empty when unset); the scheduler reads an empty `regions` as "no
// region at all", so empty lists and maps are left out rather than passed through.
import type { PlacementSpec, ResourceSpec } from '../blueprint/model';
import type { PlacementConstraints, RankerName } from '../placement';

export interface PlacementOptions {
  resources?: { cpus?: number; memoryBytes?: number };
  constraints?: PlacementConstraints;
  strategy?: RankerName[];
}

export function placementOptions(resources?: ResourceSpec, placement?: PlacementSpec): PlacementOptions {
  const options: PlacementOptions = {};
  if (resources && (resources.cpus !== undefined || resources.memoryBytes !== undefined)) {
    options.resources = {};
    if (resources.cpus !== undefined) options.resources.cpus = resources.cpus;
    if (resources.memoryBytes !== undefined) options.resources.memoryBytes = resources.memoryBytes;
  }
  const c = placement?.constraints;
  if (c) {
    const constraints: PlacementConstraints = {};
    if (Object.keys(c.labels ?? {}).length > 0) constraints.requiredLabels = { ...c.labels };
    if ((c.regions ?? []).length > 0) constraints.regions = [...c.regions];
    if ((c.zones ?? []).length > 0) constraints.zones = [...c.zones];
    if (c.maxPerHost !== undefined) constraints.maxPerHost = c.maxPerHost;
    if (c.maxPerZone !== undefined) constraints.maxPerZone = c.maxPerZone;
    if (c.predicate !== undefined && c.predicate !== '') constraints.predicate = c.predicate;
    if (Object.keys(constraints).length > 0) options.constraints = constraints;
  }
  // Blueprint strategy names are the ranker names; none listed lets the infrastructure choose.
  if (placement && placement.strategies.length > 0) options.strategy = [...placement.strategies];
  return options;
}
