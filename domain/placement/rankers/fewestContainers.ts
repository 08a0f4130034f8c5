// Fewest containers balances the host as a whole, counting every app's members.
import type { HostRanker } from './hostRanker';

export const fewestContainersRanker: HostRanker = {
  name: 'fewest-containers',
  score: (slot) => slot.containers,
};
