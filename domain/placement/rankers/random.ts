// Random placement, reproducible from the batch's seed, without re-scoring every host for
// every member. Each host holds a ticket: the next arrival time of its own Poisson clock.
// The earliest ticket wins, and the winner's clock ticks on by a fresh exponential draw.
// Exponential gaps forget the past, so every member picks uniformly among the hosts still
// in the race, exactly like drawing a host at random per member, while only the chosen
// host changes score (which keeps the stack's heap valid).
import type { RandomSource } from '../seededRandom';
import type { HostRanker } from './hostRanker';

export const randomRanker: HostRanker = {
  name: 'random',
  score: (slot) => slot.ticket,
};

/** The host's next ticket: `previous` plus an exponential(1) draw. Start from 0. */
export function nextTicket(previous: number, random: RandomSource): number {
  return previous - Math.log(1 - random());
}
