// What the application and service workflows report: the shape behind `clocker status`.
import type { PortSpec } from '../blueprint/model';
import { boundAddress } from './publishedAddress';
import type { DockerEndpoint } from '../infra/model';
import type { AutoscalerView } from './autoscalerRecord';
import type { NetworkView } from './networkView';

/**
 * DEPLOYING, UPDATING, DESTROYING: an operation is under way. Otherwise derived from the
 * services (domain/application/appHealth.ts): RUNNING, DEGRADED (some services or members
 * are not up), STOPPED, FAILED (none is up); DESTROYED at the end.
 */
export type AppStatus = 'DEPLOYING' | 'RUNNING' | 'UPDATING' | 'DEGRADED' | 'STOPPED' | 'FAILED' | 'DESTROYING' | 'DESTROYED';
/** The statuses an application rests in between operations. */
export const SETTLED_APP_STATUSES: readonly AppStatus[] = ['RUNNING', 'DEGRADED', 'STOPPED', 'FAILED'];
/**
 * ON_FIRE: the failure chain gave up (members kept failing past their restarts and the
 * service's replacement budget); nothing is restarted or replaced until a new version or a
 * `restart`/`start` arrives. `error` says why.
 */
export type ServiceStatus = 'PENDING' | 'PLACING' | 'STARTING' | 'RUNNING' | 'UPDATING' | 'STOPPED' | 'FAILED' | 'ON_FIRE' | 'DESTROYING' | 'DESTROYED';
/** DRAINING: about to be removed; already out of the lists dependents are given (balancers). */
export type MemberState = 'PLACED' | 'CREATED' | 'RUNNING' | 'STOPPED' | 'FAILED' | 'DRAINING' | 'REMOVED';

export interface MappedPort extends PortSpec {
  /** The host port Docker actually bound (resolves `hostPort: 0`). */
  boundHostPort?: number;
}

export interface MemberView {
  member: string;
  hostId: string;
  hostAddress: string;
  containerName: string;
  containerId?: string;
  state: MemberState;
  /** Which version of the service's spec the member runs (1 = as first deployed). */
  generation: number;
  ports: MappedPort[];
  /** The member's address on each application network, by network id. */
  networks?: Record<string, string>;
  error?: string;
  /** How often the failure chain restarted this member in place (absent: never). */
  restarts?: number;
}

export interface ServiceView {
  id: string;
  status: ServiceStatus;
  desired: number;
  members: MemberView[];
  /** How to reach the Docker API of each host the service has members on (no secrets). */
  hostEndpoints: Record<string, DockerEndpoint>;
  /** The spec version members should run; bumped by each applied update. */
  generation: number;
  /** How many stop/start/restart requests the service has carried out (so a caller can wait for its own). */
  effectorsDone?: number;
  /** The last thing that happened to the service's members by itself (a host failed, drained). */
  lastEvent?: string;
  /** The failure chain's latest doings, oldest first (a few; `lastEvent` is the newest). */
  recoveries?: string[];
  /** The autoscaler's bounds in force and its recent decisions with their inputs (autoscaled services only). */
  autoscaler?: AutoscalerView;
  /** The last update's outcome, when there was one. */
  rollout?: {
    /** Counts every update the service applied or refused, so a waiter can tell one from the next. */
    seq: number;
    generation: number;
    outcome: 'DONE' | 'ROLLED_BACK';
    message: string;
    /** The application's number for the version this rollout applied (absent: a resize asked directly). */
    request?: number;
  };
  error?: string;
  /**
   * Set while members are DRAINING: the service waits for the application's `dependentsSynced`
   * with this number (services that follow it have been reloaded) before removing them.
   */
  syncRequested?: number;
  /** The workflow's last report: it has ended (destroyed, or it gave up). */
  final?: boolean;
}

export interface AppView {
  name: string;
  location: string;
  status: AppStatus;
  services: ServiceView[];
  error?: string;
  /** How many blueprint versions have been applied (1 = the first deployment). */
  version: number;
  /** Services whose update in the latest version was rolled back (they run the previous one). */
  rolledBack?: { version: number; services: string[] };
  /** The last thing the application did by itself: a reload run, a dependent re-bound. */
  lastEvent?: string;
  /** Its networks as made: driver (chosen by the infrastructure where none was written) and subnet. */
  networks?: NetworkView[];
}

/** The reachable endpoints of a service: `address:port` for every published port of every member. */
export function publishedEndpoints(service: ServiceView): string[] {
  return service.members.flatMap((m) =>
    m.ports.filter((p) => p.boundHostPort !== undefined).map((p) => `${boundAddress(m.hostAddress, p.hostIp)}:${p.boundHostPort}`),
  );
}
