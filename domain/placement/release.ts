// Releasing members frees their bookings. Pure like placement: returns new host views and
// what was released, so the workflow can tell the service which containers to remove.
import type { HostView } from './model';

export interface ReleaseResult {
  hosts: HostView[];
  released: { member: string; hostId: string }[];
}

/** Without `members`, releases every member of the service. Unknown members are ignored (idempotent). */
export function release(hosts: readonly HostView[], app: string, service: string, members?: readonly string[]): ReleaseResult {
  const wanted = members === undefined ? undefined : new Set(members);
  const released: ReleaseResult['released'] = [];
  const next = hosts.map((host) => {
    const kept = host.reservations.filter((r) => {
      const match = r.app === app && r.service === service && (wanted === undefined || wanted.has(r.member));
      if (match) released.push({ member: r.member, hostId: host.id });
      return !match;
    });
    return kept.length === host.reservations.length ? host : { ...host, reservations: kept };
  });
  return { hosts: next, released };
}
