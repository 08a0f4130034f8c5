// The host's own limit on containers, counting every app's members booked there.
import type { HostFilter } from './hostFilter';

export function maxContainersFilter(): HostFilter {
  return {
    name: 'maxContainers',
    dynamic: true,
    reject: ({ host, containers }) =>
      containers >= host.capacity.maxContainers ? `over maxContainers=${host.capacity.maxContainers}` : undefined,
  };
}
