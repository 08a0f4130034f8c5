// A feasibility filter answers one question about one host: may it take one more member?
// Filters never rank; they only say no, and always say why, so a failed placement can be
// explained host by host ("why not h3?").
import type { BatchCounts, HostSlot } from '../hostSlot';

export interface HostFilter {
  /** Shown in explanations, e.g. `maxContainers`. */
  readonly name: string;
  /**
   * True when the answer can change during a batch because members get booked. Static
   * filters run once per batch; dynamic ones are re-checked on the host about to be chosen.
   * Bookings only ever add, so a dynamic "no" stays "no" for the rest of the batch.
   */
  readonly dynamic: boolean;
  /** Undefined when the host is feasible; otherwise the reason, e.g. `over maxContainers=10`. */
  reject(slot: HostSlot, counts: BatchCounts): string | undefined;
}
