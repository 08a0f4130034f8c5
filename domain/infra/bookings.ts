// The infrastructure's books: which member runs on which host. Placement here is the
// simplest correct one (available hosts, room under maxContainers, fewest containers first,
// ties by host id); the scheduler issue replaces `chooseHost` with filters and rankers.
import type { Assignment, Booking, HostRecord } from './model';

export interface PlaceInput {
  app: string;
  service: string;
  members: string[];
}

export type PlaceOutcome = { ok: true; assignments: Assignment[]; bookings: Booking[] } | { ok: false; reason: string };

const sameMember = (b: Booking, app: string, service: string, member: string) =>
  b.app === app && b.service === service && b.member === member;

/** Books every member or none. Members already booked keep their host (idempotent retries). */
export function bookMembers(hosts: readonly HostRecord[], bookings: readonly Booking[], req: PlaceInput): PlaceOutcome {
  const next = [...bookings];
  const assignments: Assignment[] = [];
  for (const member of req.members) {
    const existing = next.find((b) => sameMember(b, req.app, req.service, member));
    const host = existing ? hosts.find((h) => h.id === existing.hostId) : chooseHost(hosts, next);
    if (!host) return { ok: false, reason: explainNoRoom(hosts, next) };
    if (!existing) next.push({ app: req.app, service: req.service, member, hostId: host.id });
    assignments.push({ member, host: { id: host.id, address: host.address, docker: host.docker } });
  }
  return { ok: true, assignments, bookings: next };
}

export function releaseMembers(bookings: readonly Booking[], app: string, service: string, members?: readonly string[]): Booking[] {
  return bookings.filter(
    (b) => !(b.app === app && b.service === service && (members === undefined || members.includes(b.member))),
  );
}

function countOn(bookings: readonly Booking[], hostId: string): number {
  return bookings.reduce((n, b) => (b.hostId === hostId ? n + 1 : n), 0);
}

function chooseHost(hosts: readonly HostRecord[], bookings: readonly Booking[]): HostRecord | undefined {
  return hosts
    .filter((h) => h.status === 'AVAILABLE' && countOn(bookings, h.id) < h.maxContainers)
    .sort((a, b) => countOn(bookings, a.id) - countOn(bookings, b.id) || a.id.localeCompare(b.id))[0];
}

function explainNoRoom(hosts: readonly HostRecord[], bookings: readonly Booking[]): string {
  if (hosts.length === 0) return '0 hosts';
  const unavailable = hosts.filter((h) => h.status !== 'AVAILABLE').length;
  const full = hosts.filter((h) => h.status === 'AVAILABLE' && countOn(bookings, h.id) >= h.maxContainers).length;
  const parts = [unavailable && `${unavailable} not AVAILABLE`, full && `${full} at maxContainers`].filter(Boolean);
  return `${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
