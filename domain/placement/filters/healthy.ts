// Hosts that are failed, draining or still provisioning take no new members.
import type { HostFilter } from './hostFilter';

export function healthyFilter(): HostFilter {
  return {
    name: 'healthy',
    dynamic: false,
    reject: ({ host }) => {
      if (host.healthy) return undefined;
      return host.status ? `unhealthy (${host.status})` : 'unhealthy';
    },
  };
}
