// Ranker names a strategy may use. A new strategy is a new file plus one line here.
import type { RankerName } from '../model';
import { breadthFirstRanker } from './breadthFirst';
import { depthFirstRanker } from './depthFirst';
import { fewestContainersRanker } from './fewestContainers';
import type { HostRanker } from './hostRanker';
import { leastCpuRanker } from './leastCpu';
import { leastMemoryRanker } from './leastMemory';
import { randomRanker } from './random';

export const RANKERS: Readonly<Record<RankerName, HostRanker>> = {
  random: randomRanker,
  'depth-first': depthFirstRanker,
  'breadth-first': breadthFirstRanker,
  'least-cpu': leastCpuRanker,
  'least-memory': leastMemoryRanker,
  'fewest-containers': fewestContainersRanker,
};

export const RANKER_NAMES = Object.keys(RANKERS) as RankerName[];

/** Used when a request names no strategy: spread the service, then balance hosts. */
export const DEFAULT_STRATEGY: readonly RankerName[] = ['breadth-first', 'fewest-containers'];

export function isRankerName(name: unknown): name is RankerName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(RANKERS, name);
}
