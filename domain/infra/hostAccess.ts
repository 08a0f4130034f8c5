// How a worker runs a command on each host (for what the Docker API cannot do, such as the
// iptables rules of an isolated network): byon hosts over SSH with their key reference and
// pinned host key; a host reached through a local socket is the worker's own machine; any
// other host (a fixed TCP engine) has no way in but its Docker API. No key material here.
import type { ByonHost } from './machines';
import type { DockerEndpoint, HostStatus, InfraState } from './model';

export interface HostAccess {
  id: string;
  address: string;
  status: HostStatus;
  docker: DockerEndpoint;
  /** Present for byon hosts: how provisioning reached it. */
  ssh?: { host: ByonHost; pinnedHostKey?: string };
}

export function hostAccess(state: InfraState): HostAccess[] {
  const machines = new Map((state.machines ?? []).map((m) => [m.host.id, m]));
  return state.hosts.map(({ record }) => {
    const machine = machines.get(record.id);
    return {
      id: record.id,
      address: record.address,
      status: record.status,
      docker: record.docker,
      ...(machine ? { ssh: { host: machine.host, ...(machine.pinnedHostKey ? { pinnedHostKey: machine.pinnedHostKey } : {}) } } : {}),
    };
  });
}
