// Machines the infrastructure provisions itself (byon hosts reached over SSH), as plain JSON.
// The scheduler's HostRecord says what a host offers; a MachineEntry says how to reach and
// provision it. Keys are references (`$secret:NAME` or a path), resolved only in activities.
import type { HeadroomSpec } from './headroom';

/** A bring-your-own-node host, as the infra file declares it (defaults applied). */
export interface ByonHost {
  id: string;
  address: string;
  port: number;
  user: string;
  /** `$secret:NAME` or a path on the worker's machine; never the key itself. */
  keyRef: string;
  labels: Record<string, string>;
  region?: string;
  zone?: string;
  maxContainers: number;
  /** Prefix for every path Clocker writes on the host ('' = '/'); lets hosts share one filesystem (the rig). */
  root: string;
  /** The docker0 bridge address, e.g. `10.214.1.1/24`; absent = Docker's default. */
  bip?: string;
}

/** Daemon settings every provisioned host gets. */
export interface DockerSettings {
  logDriver: string;
  logOpts: Record<string, string>;
  registryMirrors: string[];
  insecureRegistries: string[];
}

export interface MonitoringSpec {
  /** Seconds between probes of a live host. */
  intervalSeconds: number;
  /** Consecutive failed probes before the host is FAILED. */
  failureThreshold: number;
}

export interface ProvisioningSpec {
  docker: DockerSettings;
  monitoring: MonitoringSpec;
  /** How long a drain waits for services to move their members before releasing them anyway. */
  drainTimeoutSeconds: number;
  /** Keep this share free by bringing spares in and releasing idle hosts (domain/infra/headroom.ts); absent: the pool changes only on request. */
  headroom?: HeadroomSpec;
}

export type MachineRole = 'active' | 'spare';

export interface MachineEntry {
  host: ByonHost;
  role: MachineRole;
  /** `SHA256:…`, pinned the first time the host answered; a different key later is refused. */
  pinnedHostKey?: string;
  /** Set while draining: what happens once its members are gone. */
  afterDrain?: 'forget' | 'spare';
}

export const DEFAULT_DOCKER_SETTINGS: DockerSettings = { logDriver: 'json-file', logOpts: { 'max-size': '10m', 'max-file': '3' }, registryMirrors: [], insecureRegistries: [] };
export const DEFAULT_MONITORING: MonitoringSpec = { intervalSeconds: 10, failureThreshold: 3 };
export const TLS_DOCKER_PORT = 2376;
