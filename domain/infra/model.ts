// The infrastructure's durable picture of its hosts, as plain JSON (it travels through
// workflow history and continueAsNew).
import type { IpamState, PoolConfig } from '../ipam';
import type { HeadroomState } from './headroomBooks';
import type { HostPolicy } from './hostPolicy';
import type { MachineEntry, ProvisioningSpec } from './machines';
import type { Reservation } from '../placement';

/** How a worker reaches a host's Docker API. No secrets here: TLS material is by reference. */
export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: { certRef: string } };

/** PROVISIONING: a byon host on its way (takes no members until AVAILABLE). */
export type HostStatus = 'PROVISIONING' | 'AVAILABLE' | 'FAILED' | 'DRAINING';

export interface HostRecord {
  id: string;
  /** The address services publish as `host.address` (where published ports answer). */
  address: string;
  docker: DockerEndpoint;
  status: HostStatus;
  labels: Record<string, string>;
  maxContainers: number;
  /** CPU cores members may reserve; absent = not declared, so CPU reservations never block. */
  cpus?: number;
  /** Memory members may reserve; absent = not declared, so memory reservations never block. */
  memoryBytes?: number;
  /** Geography for placement constraints; a host without one never matches a region/zone rule. */
  region?: string;
  zone?: string;
  /** Why the host is FAILED (or what provisioning is stuck on), for people reading status. */
  problem?: string;
  /** `docker version` of the engine, once verified. */
  dockerVersion?: string;
}

/** A member booked on a host: the flat form `clocker infra status` and tests read. */
export interface Booking {
  app: string;
  service: string;
  member: string;
  hostId: string;
}

export interface InfrastructureSpec {
  name: string;
  hosts: HostRecord[];
  /** Address pools application networks are carved from; default DEFAULT_POOLS. */
  pools?: PoolConfig[];
  /** What blueprints may do to the hosts; absent: defaultHostPolicy (local when its one host is a socket). */
  policy?: HostPolicy;
}

export interface Assignment {
  member: string;
  host: Pick<HostRecord, 'id' | 'address' | 'docker'>;
}

/** What the host's probe measured; zero until host monitoring reports (a later issue). */
export interface HostUsage {
  cpuPercent: number;
  memoryBytes: number;
}

/** One host in the scheduler's state: what it is, what it runs, how busy it measured. */
export interface HostEntry {
  record: HostRecord;
  usage: HostUsage;
  reservations: Reservation[];
  /** How often the host has failed: a sweep started before the latest failure does not bring it back. */
  failures?: number;
}

/** Everything the infrastructure workflow owns; carried across continueAsNew as is. */
export interface InfraState {
  version: 1;
  hosts: HostEntry[];
  ipam: IpamState;
  /** Hosts this infrastructure provisions over SSH (active and spare); absent for fixed hosts. */
  machines?: MachineEntry[];
  provisioning?: ProvisioningSpec;
  /** From the infra file; absent (runs started before policies, `clocker up`): the default. */
  policy?: HostPolicy;
  /** Idle times and decisions of host headroom, once `provisioning.headroom` is set. */
  headroom?: HeadroomState;
  /** Services refused a placement, told when room grows (workflows/infraWaitingPlacements.ts). */
  waiting?: Array<{ app: string; service: string }>;
  /** Its engines are in a Docker swarm (an overlay network formed it): host changes repair it (workflows/infraSwarm.ts). */
  swarm?: boolean;
}
