// A ranker scores a feasible host; lower scores are placed first. A strategy lists rankers
// and compares scores in that order, so later rankers only break earlier ones' ties.
//
// A ranker reads only the scored host's own state. That is what lets the stack keep the
// candidates in a heap: booking a member changes one host's score, nobody else's.
import type { HostSlot } from '../hostSlot';
import type { RankerName } from '../model';

export interface HostRanker {
  readonly name: RankerName;
  score(slot: HostSlot): number;
}
