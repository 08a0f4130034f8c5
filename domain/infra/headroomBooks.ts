// The infrastructure's books as the headroom decision reads them, and the record of what it
// decided (kept in InfraState across continueAsNew, shown by `clocker infra status`).
import { decideHeadroom, trackIdle, type HeadroomAction, type HeadroomDecision, type HeadroomHost, type HeadroomInputs, type HeadroomSpare, type HeadroomSpec } from './headroom';
import type { InfraState } from './model';

export interface HeadroomRecord {
  /** Workflow time (ms since the epoch). */
  at: number;
  action: HeadroomAction;
  reason: string;
  inputs: HeadroomInputs;
}

export interface HeadroomState {
  idleSince: Record<string, number>;
  /** Decisions that did something, and each change between holding and being short; newest last. */
  decisions: HeadroomRecord[];
  /** The latest evaluation, whatever it decided. */
  last?: HeadroomRecord;
}

/** Enough to see a pool's story (bring-ins, releases, shortages) without growing the state. */
export const KEPT_DECISIONS = 20;

export function headroomHosts(state: InfraState): HeadroomHost[] {
  return state.hosts.map(({ record, reservations }) => {
    const used = { containers: reservations.length, cpus: 0, memoryBytes: 0 };
    for (const r of reservations) {
      used.cpus += r.cpus;
      used.memoryBytes += r.memoryBytes;
    }
    const capacity: HeadroomHost['capacity'] = { containers: record.maxContainers };
    if (record.cpus !== undefined) capacity.cpus = record.cpus;
    if (record.memoryBytes !== undefined) capacity.memoryBytes = record.memoryBytes;
    return { id: record.id, status: record.status, capacity, used, members: reservations.length };
  });
}

/** Byon spares, in the order the infra file (or addHost) listed them. */
export function headroomSpares(state: InfraState): HeadroomSpare[] {
  return (state.machines ?? []).filter((m) => m.role === 'spare').map((m) => ({ id: m.host.id, containers: m.host.maxContainers }));
}

/** One evaluation: idle times brought up to date, the decision made and recorded. Changes `state.headroom`. */
export function evaluateHeadroom(state: InfraState, spec: HeadroomSpec, spares: HeadroomSpare[], now: number): HeadroomDecision {
  const books = (state.headroom ??= { idleSince: {}, decisions: [] });
  const hosts = headroomHosts(state);
  books.idleSince = trackIdle(books.idleSince, hosts, now);
  const decision = decideHeadroom(spec, hosts, spares, books.idleSince, now);
  const record: HeadroomRecord = { at: now, action: decision.action, reason: decision.reason, inputs: decision.inputs };
  books.last = record;
  const previous = books.decisions[books.decisions.length - 1];
  const acts = decision.action.kind === 'bring-in' || decision.action.kind === 'release';
  if (acts || previous?.action.kind !== decision.action.kind) {
    books.decisions.push(record);
    if (books.decisions.length > KEPT_DECISIONS) books.decisions.splice(0, books.decisions.length - KEPT_DECISIONS);
  }
  return decision;
}
