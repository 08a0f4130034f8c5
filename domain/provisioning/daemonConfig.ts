// daemon.json for a provisioned host: TLS-verified TCP on 2376 plus a local unix socket and
// nothing else (no plain 2375), Clocker's labels, logging, bridge and registries. Keys come
// out sorted so the same inputs always give the same bytes (the restart decision hashes it).
import type { ByonHost, DockerSettings } from '../infra/machines';
import { TLS_DOCKER_PORT } from '../infra/machines';
import type { HostLayout } from './hostLayout';

export type DaemonConfig = Record<string, unknown>;

export function hostLabels(infrastructure: string, host: ByonHost): string[] {
  const labels: Record<string, string> = { 'io.clocker.infrastructure': infrastructure, 'io.clocker.host': host.id, ...host.labels };
  if (host.region) labels['io.clocker.region'] = host.region;
  if (host.zone) labels['io.clocker.zone'] = host.zone;
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort();
}

export function daemonConfig(infrastructure: string, host: ByonHost, settings: DockerSettings, layout: HostLayout): DaemonConfig {
  const config: DaemonConfig = {
    hosts: [`unix://${layout.socketPath}`, `tcp://0.0.0.0:${TLS_DOCKER_PORT}`],
    tls: true,
    tlsverify: true,
    tlscacert: layout.caFile,
    tlscert: layout.certFile,
    tlskey: layout.keyFile,
    'data-root': layout.dataRoot,
    'exec-root': layout.execRoot,
    pidfile: layout.pidFile,
    labels: hostLabels(infrastructure, host),
    'log-driver': settings.logDriver,
    'log-opts': settings.logOpts,
    'registry-mirrors': settings.registryMirrors,
    'insecure-registries': settings.insecureRegistries,
  };
  if (host.bip) config.bip = host.bip;
  return config;
}

/** Stable text: sorted keys at every level, two-space indent, trailing newline. */
export function daemonConfigText(config: DaemonConfig): string {
  return `${JSON.stringify(sortKeys(config), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
