// Host headroom: keep a share of the pool's capacity free by bringing spare hosts in, and hand
// idle hosts back to the spares once they have been idle a while and the pool can do without
// them. Pure: the infrastructure workflow passes its books and the time, and applies the
// decision (provision a spare / drain a host back to the spares). Capacity is counted as
// placement books it: container slots always, cpus and memory where members reserve them; the
// tightest of those is the free share.
import type { HostStatus } from './model';

export interface HeadroomSpec {
  /** Share of capacity kept free, 0 < free < 1 (0.25: a quarter). */
  free: number;
  /** How long a host stays idle (no members) before it may go back to the spares. */
  releaseAfterMs: number;
  /** How often the pool is looked at besides after every placement and release. */
  checkMs: number;
}

export interface Amounts {
  containers: number;
  cpus: number;
  memoryBytes: number;
}

export interface HeadroomHost {
  id: string;
  status: HostStatus;
  /** cpus/memory absent: not known yet (a host still provisioning) or not declared. */
  capacity: { containers: number; cpus?: number; memoryBytes?: number };
  used: Amounts;
  /** Members booked on it. */
  members: number;
}

/** A machine that can be brought in, in the order the pool lists them. */
export interface HeadroomSpare {
  id: string;
  containers: number;
}

/** What a decision was made from, kept with it so `clocker infra status` can say why. */
export interface HeadroomInputs {
  /** Free share now (the tightest dimension), counting hosts on their way. */
  free: number;
  target: number;
  /** The dimension that set `free`. */
  tightest: keyof Amounts;
  used: number;
  capacity: number;
  /** Hosts still provisioning (their capacity already counts). */
  coming: string[];
  spares: number;
  /** Idle hosts and for how long (ms). */
  idle: { host: string; forMs: number }[];
}

export type HeadroomAction =
  | { kind: 'bring-in'; hosts: string[] }
  | { kind: 'release'; host: string }
  /** Below the target with no spare left to bring in. */
  | { kind: 'short' }
  | { kind: 'hold' };

export interface HeadroomDecision {
  action: HeadroomAction;
  reason: string;
  inputs: HeadroomInputs;
  /** An idle host becomes releasable this much later (so the workflow can look again then). */
  wakeInMs?: number;
}

const DIMENSIONS: (keyof Amounts)[] = ['containers', 'cpus', 'memoryBytes'];

/** Hosts that give capacity now or soon; FAILED and DRAINING hosts give none. */
const counts = (h: HeadroomHost) => h.status === 'AVAILABLE' || h.status === 'PROVISIONING';

interface Measure {
  free: number;
  tightest: keyof Amounts;
  used: Amounts;
  capacity: Amounts;
}

/**
 * A host (or spare) whose cpus or memory are not known yet is taken to have as much as the
 * smallest host that is known: a guess on the safe side, corrected once it reports.
 */
function smallestKnown(hosts: HeadroomHost[], dim: 'cpus' | 'memoryBytes'): number | undefined {
  const known = hosts.map((h) => h.capacity[dim]).filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

function measure(hosts: HeadroomHost[], extraSpares: HeadroomSpare[], estimates: Partial<Amounts>): Measure {
  const used: Amounts = { containers: 0, cpus: 0, memoryBytes: 0 };
  const capacity: Amounts = { containers: 0, cpus: 0, memoryBytes: 0 };
  for (const h of hosts.filter(counts)) {
    for (const dim of DIMENSIONS) used[dim] += h.used[dim];
    capacity.containers += h.capacity.containers;
    capacity.cpus += h.capacity.cpus ?? estimates.cpus ?? 0;
    capacity.memoryBytes += h.capacity.memoryBytes ?? estimates.memoryBytes ?? 0;
  }
  for (const s of extraSpares) {
    capacity.containers += s.containers;
    capacity.cpus += estimates.cpus ?? 0;
    capacity.memoryBytes += estimates.memoryBytes ?? 0;
  }
  let free = share(used.containers, capacity.containers);
  let tightest: keyof Amounts = 'containers';
  // cpus and memory count only where members reserve them and some host says how much it has.
  for (const dim of ['cpus', 'memoryBytes'] as const) {
    if (used[dim] <= 0 || estimates[dim] === undefined) continue;
    const s = share(used[dim], capacity[dim]);
    if (s < free) {
      free = s;
      tightest = dim;
    }
  }
  return { free, tightest, used, capacity };
}

const share = (used: number, capacity: number) => (capacity <= 0 ? 0 : Math.max(0, (capacity - used) / capacity));
const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/**
 * `idleSince`: when each idle host was first seen idle (see trackIdle). Brings spares in (pool
 * order) until the free share reaches the target; otherwise releases at most one idle host
 * (the newest first) idle for `releaseAfterMs`, never one with members, never the last
 * available host, and never when the pool without it would fall below the target.
 */
export function decideHeadroom(spec: HeadroomSpec, hosts: HeadroomHost[], spares: HeadroomSpare[], idleSince: Record<string, number>, now: number): HeadroomDecision {
  const estimates: Partial<Amounts> = {};
  for (const dim of ['cpus', 'memoryBytes'] as const) {
    const v = smallestKnown(hosts.filter(counts), dim);
    if (v !== undefined) estimates[dim] = v;
  }
  const current = measure(hosts, [], estimates);
  const idle = hosts
    .filter((h) => h.status === 'AVAILABLE' && h.members === 0 && idleSince[h.id] !== undefined)
    .map((h) => ({ host: h.id, forMs: now - (idleSince[h.id] ?? now) }));
  const inputs: HeadroomInputs = {
    free: current.free,
    target: spec.free,
    tightest: current.tightest,
    used: current.used[current.tightest],
    capacity: current.capacity[current.tightest],
    coming: hosts.filter((h) => h.status === 'PROVISIONING').map((h) => h.id),
    spares: spares.length,
    idle,
  };
  const where = `${pct(current.free)} of ${current.tightest} free, target ${pct(spec.free)}`;

  if (current.free < spec.free) {
    if (spares.length === 0) return { action: { kind: 'short' }, reason: `${where}; no spare left to bring in`, inputs };
    const taken: HeadroomSpare[] = [];
    let projected = current.free;
    for (const spare of spares) {
      taken.push(spare);
      projected = measure(hosts, taken, estimates).free;
      if (projected >= spec.free) break;
    }
    const after = projected >= spec.free ? `${pct(projected)} free once they are in` : `still ${pct(projected)} free with every spare in`;
    return { action: { kind: 'bring-in', hosts: taken.map((s) => s.id) }, reason: `${where}; bringing in ${taken.map((s) => s.id).join(', ')}: ${after}`, inputs };
  }

  // Newest first: the host most recently brought in goes back first.
  const available = hosts.filter((h) => h.status === 'AVAILABLE');
  let wakeInMs: number | undefined;
  const kept: string[] = [];
  for (const candidate of [...idle].reverse()) {
    if (available.length <= 1) {
      kept.push(`${candidate.host} is the last available host`);
      continue;
    }
    const without = measure(hosts.filter((h) => h.id !== candidate.host), [], estimates);
    if (without.free < spec.free) {
      kept.push(`${candidate.host} idle, but without it ${pct(without.free)} would be free`);
      continue;
    }
    const waitMs = spec.releaseAfterMs - candidate.forMs;
    if (waitMs > 0) {
      wakeInMs = wakeInMs === undefined ? waitMs : Math.min(wakeInMs, waitMs);
      continue;
    }
    return {
      action: { kind: 'release', host: candidate.host },
      reason: `${where}; ${candidate.host} idle for ${seconds(candidate.forMs)} (release after ${seconds(spec.releaseAfterMs)}), ${pct(without.free)} free without it`,
      inputs,
    };
  }
  const waiting = wakeInMs === undefined ? '' : `; an idle host may go in ${seconds(wakeInMs)}`;
  const why = kept.length === 0 ? '' : `; kept: ${kept.join('; ')}`;
  return { action: { kind: 'hold' }, reason: `${where}${why}${waiting}`, inputs, ...(wakeInMs === undefined ? {} : { wakeInMs }) };
}

/**
 * When each AVAILABLE host without members was first seen idle: kept while it stays idle,
 * dropped once it has members or leaves AVAILABLE. Returns a new record.
 */
export function trackIdle(previous: Record<string, number>, hosts: HeadroomHost[], now: number): Record<string, number> {
  const next: Record<string, number> = {};
  for (const h of hosts) {
    if (h.status === 'AVAILABLE' && h.members === 0) next[h.id] = previous[h.id] ?? now;
  }
  return next;
}
