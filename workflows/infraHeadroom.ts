// Host headroom in the infrastructure workflow: look at the pool after every change to its
// books (a placement, a release, a host arriving or failing) and on a timer, decide
// (domain/infra/headroom.ts), and act through the paths an operator's resize uses: a spare is
// provisioned like `clocker infra resize` does it, an idle host drains back to the spares.
//
// Where spares come from is the seam for cloud providers (activities/provisioning/
// machineProvider.ts): byon spares are machines already listed in the books; a provider would
// add machines to the books (addMachine) before they are brought in the same way.
import { condition, log } from '@temporalio/workflow';
import type { HeadroomDecision } from '../domain/infra/headroom';
import { evaluateHeadroom } from '../domain/infra/headroomBooks';
import type { InfraState } from '../domain/infra/model';
import type { HostBooks } from './hostBooks';
import type { HostLifecycle } from './hostLifecycle';

/** A timer shorter than this would spin on a decision that keeps asking to look again soon. */
const MIN_WAIT_MS = 1_000;

/** What the decision reads, so a change to any of it wakes the loop before its timer. */
function booksFingerprint(data: InfraState): string {
  const hosts = data.hosts.map((h) => `${h.record.id}:${h.record.status}:${h.reservations.length}`).join(',');
  const spares = (data.machines ?? []).filter((m) => m.role === 'spare').length;
  return `${hosts}|${spares}`;
}

function apply(decision: HeadroomDecision, books: HostBooks, lifecycle: HostLifecycle): void {
  const { action } = decision;
  if (action.kind === 'bring-in') {
    log.info(`headroom: ${decision.reason}`);
    for (const id of action.hosts) {
      books.activate(id);
      lifecycle.spawn(`provisioning host ${id}`, () => lifecycle.provision(id, true));
    }
  } else if (action.kind === 'release') {
    log.info(`headroom: ${decision.reason}`);
    const groups = books.startDrain(action.host, 'spare');
    if (groups) lifecycle.spawn(`draining host ${action.host}`, () => lifecycle.drain(action.host, groups));
  }
}

/** Runs for the life of this run (continueAsNew starts it again); issues only timers itself. */
export async function keepHeadroom(books: HostBooks, lifecycle: HostLifecycle): Promise<void> {
  for (;;) {
    const spec = books.data.provisioning?.headroom;
    if (!spec) return;
    const decision = evaluateHeadroom(books.data, spec, Date.now());
    apply(decision, books, lifecycle);
    const seen = booksFingerprint(books.data);
    const waitMs = Math.max(MIN_WAIT_MS, Math.min(spec.checkMs, decision.wakeInMs ?? spec.checkMs));
    await condition(() => booksFingerprint(books.data) !== seen, waitMs);
  }
}
