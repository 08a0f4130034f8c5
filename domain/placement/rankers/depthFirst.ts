// Depth-first fills a host before starting the next: the host with the most containers
// wins, so empty hosts stay empty (and can be released) for as long as possible.
import type { HostRanker } from './hostRanker';

export const depthFirstRanker: HostRanker = {
  name: 'depth-first',
  score: (slot) => -slot.containers,
};
