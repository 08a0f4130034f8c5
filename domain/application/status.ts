// What the application and service workflows report: the shape behind `clocker status`.
import type { PortSpec } from '../blueprint/model';
import type { DockerEndpoint } from '../infra/model';

export type AppStatus = 'DEPLOYING' | 'RUNNING' | 'FAILED' | 'DESTROYING' | 'DESTROYED';
export type ServiceStatus = 'PENDING' | 'PLACING' | 'STARTING' | 'RUNNING' | 'FAILED' | 'DESTROYING' | 'DESTROYED';
export type MemberState = 'PLACED' | 'CREATED' | 'RUNNING' | 'FAILED' | 'REMOVED';

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
  ports: MappedPort[];
  /** The member's address on each application network, by network id. */
  networks?: Record<string, string>;
  error?: string;
}

export interface ServiceView {
  id: string;
  status: ServiceStatus;
  desired: number;
  members: MemberView[];
  /** How to reach the Docker API of each host the service has members on (no secrets). */
  hostEndpoints: Record<string, DockerEndpoint>;
  error?: string;
}

export interface AppView {
  name: string;
  location: string;
  status: AppStatus;
  services: ServiceView[];
  error?: string;
}

/** The reachable endpoints of a service: `address:port` for every published port of every member. */
export function publishedEndpoints(service: ServiceView): string[] {
  return service.members.flatMap((m) =>
    m.ports.filter((p) => p.boundHostPort !== undefined).map((p) => `${m.hostAddress}:${p.boundHostPort}`),
  );
}
