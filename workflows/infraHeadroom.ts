// Host headroom in the infrastructure workflow: look at the pool after every change to its
// books (a placement, a release, a host arriving or failing) and on a timer, decide
// (domain/infra/headroom.ts), and act through a spare pool (sparePool.ts: byon spares are
// provisioned as `clocker infra resize` does it, idle hosts drain back to the spares; a cloud
// provider would be another pool).
import { condition, log } from '@temporalio/workflow';
import type { HeadroomDecision } from '../domain/infra/headroom';
import { evaluateHeadroom } from '../domain/infra/headroomBooks';
import type { InfraState } from '../domain/infra/model';
import type { HostBooks } from './hostBooks';
import type { SparePool } from './sparePool';

/** A timer shorter than this would spin on a decision that keeps asking to look again soon. */
const MIN_WAIT_MS = 1_000;

/** What the decision reads, so a change to any of it wakes the loop before its timer. */
function booksFingerprint(data: InfraState, pool: SparePool): string {
  // Reservations by count: a member's cpus/memory never change after it is booked. Capacities can (a host re-verified).
  const hosts = data.hosts.map(({ record: r, reservations }) => `${r.id}:${r.status}:${reservations.length}:${r.maxContainers}:${r.cpus ?? '-'}:${r.memoryBytes ?? '-'}`).join(',');
  return `${hosts}|${pool.available().map((s) => s.id).join(',')}`;
}

function apply(decision: HeadroomDecision, pool: SparePool): void {
  const { action } = decision;
  if (action.kind === 'bring-in') {
    log.info(`headroom: ${decision.reason}`);
    pool.bringIn(action.hosts);
  } else if (action.kind === 'release') {
    log.info(`headroom: ${decision.reason}`);
    pool.release(action.host);
  }
}

/** Runs for the life of this run (continueAsNew starts it again); issues only timers itself. */
export async function keepHeadroom(books: HostBooks, pool: SparePool): Promise<void> {
  for (;;) {
    const spec = books.data.provisioning?.headroom;
    if (!spec) return;
    const decision = evaluateHeadroom(books.data, spec, pool.available(), Date.now());
    apply(decision, pool);
    const seen = booksFingerprint(books.data, pool);
    const waitMs = Math.max(MIN_WAIT_MS, Math.min(spec.checkMs, decision.wakeInMs ?? spec.checkMs));
    await condition(() => booksFingerprint(books.data, pool) !== seen, waitMs);
  }
}
