// Feasible hosts ordered by rank: a binary min-heap on (scores in strategy order, input
// index). Picking a host is O(1) and re-ranking it after a booking is O(log hosts), instead
// of re-scoring and sorting every host for every member.
import type { HostSlot } from './hostSlot';

/** Lexicographic over the strategy's scores; input order breaks a full tie deterministically. */
export function ranksBefore(a: HostSlot, b: HostSlot): boolean {
  for (let i = 0; i < a.scores.length; i++) {
    const x = a.scores[i] as number;
    const y = b.scores[i] as number;
    if (x !== y) return x < y;
  }
  return a.index < b.index;
}

export class CandidateHeap {
  private readonly items: HostSlot[];

  constructor(slots: HostSlot[]) {
    this.items = slots;
    for (let i = (slots.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): HostSlot | undefined {
    return this.items[0];
  }

  /** Removes the best host (used when it has become infeasible). */
  pop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  /** The best host's scores changed (it was just booked): move it to where it now belongs. */
  topChanged(): void {
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const moving = items[i] as HostSlot;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && ranksBefore(items[right] as HostSlot, items[left] as HostSlot) ? right : left;
      if (!ranksBefore(items[child] as HostSlot, moving)) break;
      items[i] = items[child] as HostSlot;
      i = child;
    }
    items[i] = moving;
  }
}
