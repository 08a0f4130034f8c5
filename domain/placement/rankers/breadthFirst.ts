// Breadth-first spreads one service evenly: the host with the fewest members of this
// service wins, so a host failure takes out as few of its members as possible.
import type { HostRanker } from './hostRanker';

export const breadthFirstRanker: HostRanker = {
  name: 'breadth-first',
  score: (slot) => slot.serviceMembers,
};
