// Places a batch of members as one decision: filters once, then a heap of feasible hosts,
// booking each member on the best host and re-ranking only that host. Later members see
// earlier members' bookings. Pure: returns new host views, never touches its inputs.
import { CandidateHeap } from './candidateHeap';
import type { HostFilter } from './filters/hostFilter';
import { describeChosen, describeHosts, firstRejection, plural, RejectionTally, tallyRejections } from './explain';
import type { BatchCounts, HostSlot } from './hostSlot';
import { bookOnSlot, buildSlots } from './hostSlot';
import type { Assignment, ChosenHost, HostView, PlacementRequest, PlacementResult, RankerName, Reservation } from './model';
import { nextTicket } from './rankers/random';
import { DEFAULT_STRATEGY } from './rankers/registry';
import { seededRandom } from './seededRandom';
import { stack } from './stack';
import { formatIssues, validatePlacementRequest } from './validateRequest';

/** Where members of this app/service already are: placing them again returns these. */
function existingPlacements(hosts: readonly HostView[], app: string, service: string): Map<string, string> {
  const placed = new Map<string, string>();
  for (const host of hosts) {
    for (const r of host.reservations) if (r.app === app && r.service === service) placed.set(r.member, host.id);
  }
  return placed;
}

export function placeBatch(hosts: readonly HostView[], request: PlacementRequest, seed: string | number): PlacementResult {
  const strategy: RankerName[] = [...(request.strategy ?? DEFAULT_STRATEGY)];
  const issues = validatePlacementRequest(request);
  if (issues.length > 0) {
    const summary = `invalid placement request: ${formatIssues(issues).replace(/\n/g, '; ')}`;
    const explanation = { hosts: hosts.length, feasible: 0, rejections: [], strategy, chosen: [], summary };
    return { ok: false, placed: [], unplaced: [...(request.members ?? [])], hosts: [...hosts], explanation };
  }

  const { filters, rankers } = stack(request);
  const dynamicFilters = filters.filter((f) => f.dynamic);
  const { slots, counts } = buildSlots(hosts, request);
  const random = seededRandom(seed);
  const rescore = (slot: HostSlot) => {
    slot.scores = rankers.map((r) => r.score(slot));
  };

  // Every filter once per host; survivors go into the heap.
  const tally = new RejectionTally();
  const feasible: HostSlot[] = [];
  for (const slot of slots) {
    slot.ticket = nextTicket(0, random);
    const rejected = firstRejection(filters, slot, counts);
    if (rejected) {
      tally.add(rejected.filter, filters.indexOf(rejected.filter), rejected.reason, slot.host.id);
      continue;
    }
    rescore(slot);
    feasible.push(slot);
  }
  const feasibleAtStart = feasible.length;
  const heap = new CandidateHeap(feasible);

  const existing = existingPlacements(hosts, request.app, request.service);
  const cpus = request.resources?.cpus ?? 0;
  const memoryBytes = request.resources?.memoryBytes ?? 0;
  const added = new Map<HostSlot, Reservation[]>();
  const chosen = new Map<HostSlot, ChosenHost>();
  const assignments: Assignment[] = [];
  const unplaced: string[] = [];
  let reused = 0;

  for (const member of request.members) {
    const hostId = existing.get(member);
    if (hostId !== undefined) {
      assignments.push({ member, hostId, existing: true });
      reused++;
      continue;
    }
    const slot = bestFeasible(heap, dynamicFilters, counts);
    if (slot === undefined) {
      unplaced.push(member);
      continue;
    }
    const scores = Object.fromEntries(rankers.map((r, i) => [r.name, slot.scores[i] as number]));
    const pick = chosen.get(slot) ?? { hostId: slot.host.id, members: 0, scores };
    pick.members++;
    chosen.set(slot, pick);
    bookOnSlot(slot, counts, cpus, memoryBytes);
    const list = added.get(slot) ?? [];
    list.push({ app: request.app, service: request.service, member, cpus, memoryBytes });
    added.set(slot, list);
    assignments.push({ member, hostId: slot.host.id, existing: false });
    slot.ticket = nextTicket(slot.ticket, random);
    rescore(slot);
    heap.topChanged();
  }

  const nextHosts = hosts.map((host, i) => {
    const reservations = added.get(slots[i] as HostSlot);
    return reservations ? { ...host, reservations: [...host.reservations, ...reservations] } : host;
  });
  const chosenList = [...chosen.values()];
  const fresh = assignments.length - reused;
  const where = chosenList.length > 0 ? ` on ${plural(chosenList.length, 'host')} (${describeChosen(chosenList)})` : '';
  const what = `${request.app}/${request.service}`;

  if (unplaced.length === 0) {
    const rejections = tally.list();
    const reuse = reused > 0 ? `, ${reused} already placed` : '';
    const summary = `placed ${plural(fresh, 'member')} of ${what}${where}${reuse}; ${describeHosts(hosts.length, feasibleAtStart, rejections)}`;
    const explanation = { hosts: hosts.length, feasible: feasibleAtStart, rejections, strategy, chosen: chosenList, summary };
    return { ok: true, assignments, hosts: nextHosts, explanation };
  }
  // Why the first unplaced member found no host: every filter, on every host, as things now stand.
  const now = tallyRejections(filters, slots, counts);
  const stopped = `no host fits member ${unplaced[0]} of ${what} (placed ${fresh} of ${fresh + unplaced.length})`;
  const summary = `${stopped}: ${describeHosts(hosts.length, now.feasible, now.rejections)}`;
  const explanation = { hosts: hosts.length, feasible: feasibleAtStart, rejections: now.rejections, strategy, chosen: chosenList, summary };
  return { ok: false, placed: assignments, unplaced, hosts: nextHosts, explanation };
}

/**
 * The best host that can still take a member. Only dynamic filters are re-checked, and only
 * on the top host: a host that fails one is dropped for good, because bookings only add.
 */
function bestFeasible(heap: CandidateHeap, dynamicFilters: readonly HostFilter[], counts: BatchCounts): HostSlot | undefined {
  for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
    if (firstRejection(dynamicFilters, top, counts) === undefined) return top;
    heap.pop();
  }
  return undefined;
}
