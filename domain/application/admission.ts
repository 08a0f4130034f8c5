// Admission: would the whole application fit, as the infrastructure stands now? A dry run of
// the scheduler over every service's first members at once, in the order a deployment places
// them (dependency layers), each service seeing the bookings of those before it. Nothing is
// booked: the infrastructure answers it from a query, and the preflight refuses the whole
// application when any service does not fit ("admission is all or nothing").
import type { Blueprint } from '../blueprint/model';
import { placementOptions } from '../infra/blueprintPlacement';
import { memberIds } from '../naming';
import { placeBatch, type HostView, type PlacementRequest } from '../placement';
import { memberPlacement } from './memberPlacement';
import { startLayers } from './startLayers';

/** One service's part of the dry run: the host of each member, or why it found none. */
export type ServiceAdmission =
  | { service: string; ok: true; hosts: string[] }
  | { service: string; ok: false; reason: string };

/** The placement requests a first deployment makes (member ids from 1), in the order it makes them. */
export function admissionRequests(blueprint: Blueprint, only?: readonly string[]): PlacementRequest[] {
  const wanted = blueprint.services.filter((s) => s.count > 0 && (only === undefined || only.includes(s.id)));
  const order = startLayers(blueprint.services).flat();
  return [...wanted]
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
    .map((s) => ({ app: blueprint.name, service: s.id, members: memberIds(1, s.count), ...placementOptions(s.resources, memberPlacement(s)) }));
}

/**
 * Places every request in turn on copies of the hosts. A service that does not fit books
 * nothing (a real batch is all or nothing too), and the services after it are still tried,
 * so every one that does not fit is named. Pure: `hosts` is not changed.
 */
export function dryRunPlacement(hosts: readonly HostView[], requests: readonly PlacementRequest[], seed: string): ServiceAdmission[] {
  let current = [...hosts];
  return requests.map((request) => {
    const result = placeBatch(current, request, `${seed}/${request.service}`);
    if (!result.ok) return { service: request.service, ok: false, reason: result.explanation.summary };
    current = result.hosts;
    const byMember = new Map(result.assignments.map((a) => [a.member, a.hostId]));
    return { service: request.service, ok: true, hosts: request.members.map((m) => byMember.get(m) ?? '') };
  });
}
