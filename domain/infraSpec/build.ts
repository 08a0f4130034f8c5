// Schema output → InfraDefinition: host defaults from the byon block, then the global ones.
import { DEFAULT_DOCKER_SETTINGS, DEFAULT_MONITORING, type ByonHost } from '../infra/machines';
import { defaultHostPolicy, type HostPolicy } from '../infra/hostPolicy';
import type { InfraDefinition } from './model';
import type { ByonHostFile, InfraFile } from './schema';

export const DEFAULT_SSH_USER = 'root';
export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_KEY_REF = '~/.ssh/id_ed25519';
export const DEFAULT_MAX_CONTAINERS = 100;
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 300;
export const DEFAULT_HEADROOM_RELEASE_AFTER_MS = 10 * 60_000;
export const DEFAULT_HEADROOM_CHECK_MS = 30_000;

type Defaults = Pick<ByonHostFile, 'port' | 'user' | 'key' | 'root' | 'maxContainers'>;

function byonHost(h: ByonHostFile, d: Defaults): ByonHost {
  const host: ByonHost = {
    id: h.id,
    address: h.address,
    port: h.port ?? d.port ?? DEFAULT_SSH_PORT,
    user: h.user ?? d.user ?? DEFAULT_SSH_USER,
    keyRef: h.key ?? d.key ?? DEFAULT_KEY_REF,
    labels: h.labels ?? {},
    maxContainers: h.maxContainers ?? d.maxContainers ?? DEFAULT_MAX_CONTAINERS,
    root: h.root ?? d.root ?? '',
  };
  if (h.region !== undefined) host.region = h.region;
  if (h.zone !== undefined) host.zone = h.zone;
  if (h.bip !== undefined) host.bip = h.bip;
  return host;
}

/** The file's `policy:` over the location's defaults. */
export function buildPolicy(file: InfraFile, local: boolean): HostPolicy {
  const base = defaultHostPolicy(local);
  const p = file.policy ?? {};
  return {
    binds: p.binds ?? base.binds,
    blueprintFolder: p.blueprintFolder ?? base.blueprintFolder,
    privileged: p.privileged ?? base.privileged,
    capAdd: p.capAdd ?? base.capAdd,
    hostPid: p.hostPid ?? base.hostPid,
  };
}

export function buildDefinition(file: InfraFile): InfraDefinition {
  if (file.location === 'local' || !('byon' in file.location)) return { name: file.name, location: 'local', policy: buildPolicy(file, true) };
  const { hosts, ...defaults } = file.location.byon;
  return {
    name: file.name,
    location: 'byon',
    policy: buildPolicy(file, false),
    hosts: hosts.filter((h) => !h.spare).map((h) => byonHost(h, defaults)),
    spares: hosts.filter((h) => h.spare).map((h) => byonHost(h, defaults)),
    provisioning: {
      docker: {
        logDriver: file.docker?.logDriver ?? DEFAULT_DOCKER_SETTINGS.logDriver,
        logOpts: file.docker?.logOpts ?? DEFAULT_DOCKER_SETTINGS.logOpts,
        registryMirrors: file.docker?.registryMirrors ?? [],
        insecureRegistries: file.docker?.insecureRegistries ?? [],
      },
      monitoring: {
        intervalSeconds: file.monitoring?.intervalSeconds ?? DEFAULT_MONITORING.intervalSeconds,
        failureThreshold: file.monitoring?.failureThreshold ?? DEFAULT_MONITORING.failureThreshold,
      },
      drainTimeoutSeconds: file.drainTimeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS,
      ...(file.headroom && {
        headroom: {
          free: file.headroom.free,
          releaseAfterMs: file.headroom.releaseAfter ?? DEFAULT_HEADROOM_RELEASE_AFTER_MS,
          checkMs: file.headroom.check ?? DEFAULT_HEADROOM_CHECK_MS,
        },
      }),
    },
  };
}

/** An `addHost` signal's host, completed with the same defaults an infra file gets. */
export function completeByonHost(h: Partial<ByonHost> & Pick<ByonHost, 'id' | 'address'>): ByonHost {
  const host: ByonHost = {
    id: h.id,
    address: h.address,
    port: h.port ?? DEFAULT_SSH_PORT,
    user: h.user ?? DEFAULT_SSH_USER,
    keyRef: h.keyRef ?? DEFAULT_KEY_REF,
    labels: h.labels ?? {},
    maxContainers: h.maxContainers ?? DEFAULT_MAX_CONTAINERS,
    root: h.root ?? '',
  };
  if (h.region !== undefined) host.region = h.region;
  if (h.zone !== undefined) host.zone = h.zone;
  if (h.bip !== undefined) host.bip = h.bip;
  return host;
}
