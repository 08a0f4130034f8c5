// The infrastructure's durable picture of its hosts, as plain JSON (it travels through
// workflow history and continueAsNew).

/** How a worker reaches a host's Docker API. No secrets here: TLS material is by reference. */
export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: { certRef: string } };

export type HostStatus = 'AVAILABLE' | 'FAILED' | 'DRAINING';

export interface HostRecord {
  id: string;
  /** The address services publish as `host.address` (where published ports answer). */
  address: string;
  docker: DockerEndpoint;
  status: HostStatus;
  labels: Record<string, string>;
  maxContainers: number;
}

export interface Booking {
  app: string;
  service: string;
  member: string;
  hostId: string;
}

export interface InfrastructureSpec {
  name: string;
  hosts: HostRecord[];
}

export interface Assignment {
  member: string;
  host: Pick<HostRecord, 'id' | 'address' | 'docker'>;
}
