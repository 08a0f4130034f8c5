// The placement stack: which filters run, in which order, and which rankers order the
// survivors. Straight-line on purpose: the order is the policy, and each stage says why
// it sits where it does. A host is rejected by the first filter that says no, so the
// order also decides which reason an explanation gives.
import { geographyFilter } from './filters/geography';
import { healthyFilter } from './filters/healthy';
import type { HostFilter } from './filters/hostFilter';
import { maxContainersFilter } from './filters/maxContainers';
import { maxPerHostFilter } from './filters/maxPerHost';
import { maxPerZoneFilter } from './filters/maxPerZone';
import { measuredCpuFilter } from './filters/measuredCpu';
import { measuredMemoryFilter } from './filters/measuredMemory';
import { predicateFilter } from './filters/predicate';
import { requiredLabelsFilter } from './filters/requiredLabels';
import { reservedCpuFilter } from './filters/reservedCpu';
import { reservedMemoryFilter } from './filters/reservedMemory';
import type { PlacementRequest } from './model';
import type { HostRanker } from './rankers/hostRanker';
import { DEFAULT_STRATEGY, RANKERS } from './rankers/registry';

export interface PlacementStack {
  /** In the order they run: static filters first, then dynamic ones. */
  filters: HostFilter[];
  rankers: HostRanker[];
}

const present = (f: HostFilter | undefined): f is HostFilter => f !== undefined;

export function stack(request: PlacementRequest): PlacementStack {
  const constraints = request.constraints ?? {};
  const filters = [
    // 1. Health: a failed or draining host is out whatever else holds, and "unhealthy" is
    //    the reason an operator needs to see first.
    healthyFilter(),
    // 2. Where the host is and what it is: region/zone, then labels. Cheap comparisons
    //    that remove whole groups of hosts before any arithmetic.
    geographyFilter(constraints),
    requiredLabelsFilter(constraints),
    // 3. The user's predicate, after the built-in checks so common rejections get the
    //    plainer reason; compiled here, once per batch.
    predicateFilter(constraints),
    // 4. Measured load: static during a batch (probes do not run inside a decision).
    measuredCpuFilter(constraints),
    measuredMemoryFilter(constraints),
    // --- dynamic from here: answers change as this batch books members ---
    // 5. Host capacity: container count, then booked CPU and memory. Before the service's
    //    spread rules, so a full host is reported as full rather than as "spread".
    maxContainersFilter(),
    reservedCpuFilter(request),
    reservedMemoryFilter(request),
    // 6. The service's own spread rules, last: they depend only on this service's members.
    maxPerHostFilter(constraints),
    maxPerZoneFilter(constraints),
  ].filter(present);
  // 7. Rankers in the strategy's order; later ones break ties, and the host's input order
  //    breaks what is left (see candidateHeap.ts), so the choice is always deterministic.
  const rankers = (request.strategy ?? DEFAULT_STRATEGY).map((name) => RANKERS[name]);
  return { filters, rankers };
}
