// Pure builder: what Docker is asked to create for one member. Tests pin its output.
import type Docker from 'dockerode';
import type { MappedPort } from '../../domain/application/status';
import type { ServiceSpec, VolumeSpec } from '../../domain/blueprint/model';
import { APP_DATA_ROOT, isInside, normalHostPath } from '../../domain/infra/hostPolicy';
import { LABEL_PREFIX, containerName, memberLabels, volumeLabels, volumeName, type MemberRef } from '../../domain/naming';

/** A Docker network the member joins, already named for its host. */
export interface NetworkAttachment {
  name: string;
  aliases: string[];
  ipv4Address?: string;
}

export function portKey(p: { containerPort: number; protocol: 'tcp' | 'udp' }): string {
  return `${p.containerPort}/${p.protocol}`;
}

/**
 * Docker (API 1.41) takes one network at create; the others are connected before start by
 * the activity, so the first attachment goes here.
 */
export function containerCreateOptions(
  ref: MemberRef,
  spec: ServiceSpec,
  env: Record<string, string>,
  networks: NetworkAttachment[] = [],
  dns: string[] = [],
  infrastructure?: string,
): Docker.ContainerCreateOptions {
  const userLabels = Object.fromEntries(Object.entries(spec.labels).filter(([k]) => !k.startsWith(LABEL_PREFIX)));
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostPort: string; HostIp?: string }[]> = {};
  for (const p of spec.ports) {
    exposed[portKey(p)] = {};
    if (p.hostPort === undefined) continue;
    // One container port may be published several times (e.g. on two addresses): all bindings go.
    // An empty HostPort asks Docker for a free one.
    const binding = { HostPort: p.hostPort === 0 ? '' : String(p.hostPort), ...(p.hostIp !== undefined && { HostIp: p.hostIp }) };
    (bindings[portKey(p)] ??= []).push(binding);
  }
  const hostConfig: Docker.HostConfig = { PortBindings: bindings };
  // The application's own data folder (APP_DATA_ROOT/<app>/…) goes as a `Binds` entry: unlike a
  // mount, Docker creates a missing source folder for it, so Clocker's per-application folder
  // exists on whichever host the member lands. Every other bind must exist already.
  const ownData = (v: VolumeSpec) => v.type === 'bind' && isInside(v.source, `${APP_DATA_ROOT}/${ref.app}`);
  const mounts = spec.volumes.filter((v) => !ownData(v));
  const binds = spec.volumes.filter(ownData).map((v) => (v.type === 'bind' ? `${normalHostPath(v.source)}:${v.target}:${v.readOnly ? 'ro' : 'rw'}` : ''));
  if (mounts.length > 0) hostConfig.Mounts = mounts.map((v) => mount(ref.app, v));
  if (binds.length > 0) hostConfig.Binds = binds;
  if (spec.resources.cpus !== undefined) hostConfig.NanoCpus = Math.round(spec.resources.cpus * 1e9);
  if (spec.resources.memoryBytes !== undefined) hostConfig.Memory = spec.resources.memoryBytes;
  const servers = [...new Set([...(spec.dns ?? []), ...dns])];
  if (servers.length > 0) hostConfig.Dns = servers;
  if (spec.extraHosts !== undefined) hostConfig.ExtraHosts = spec.extraHosts;
  if (spec.init !== undefined) hostConfig.Init = spec.init;
  // Only blueprints the infrastructure's host policy allowed get here (preflight and ensureContainer check).
  if (spec.privileged === true) hostConfig.Privileged = true;
  if (spec.capAdd !== undefined && spec.capAdd.length > 0) hostConfig.CapAdd = spec.capAdd;
  if (spec.pid === 'host') hostConfig.PidMode = 'host';
  const first = networks[0];
  if (first) hostConfig.NetworkMode = first.name;

  const options: Docker.ContainerCreateOptions = {
    name: containerName(ref),
    Image: spec.image,
    Env: Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
    Labels: { ...userLabels, ...memberLabels(ref, infrastructure) },
    ExposedPorts: exposed,
    HostConfig: hostConfig,
  };
  if (first) options.NetworkingConfig = { EndpointsConfig: { [first.name]: endpointConfig(first) } };
  if (spec.command) options.Cmd = spec.command;
  if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
  if (spec.user !== undefined) options.User = spec.user;
  if (spec.workingDir !== undefined) options.WorkingDir = spec.workingDir;
  if (spec.hostname !== undefined) options.Hostname = spec.hostname;
  if (spec.stopSignal !== undefined) options.StopSignal = spec.stopSignal;
  return options;
}

/**
 * What a started member's inspect would say of its ports and addresses, when the create
 * options decide it: every published port fixed (no `hostPort: 0`) and every network address
 * given. Undefined when Docker picks something (a free port, an address from the network's
 * pool): then one inspect after start learns it. The port picked for each spec entry follows
 * the inspect reading (containers.ts `mappedPorts`): of the bindings of that container port,
 * the one on every address, else the first.
 */
export function knownAfterStart(spec: ServiceSpec, networks: (NetworkAttachment & { id: string })[]): { ports: MappedPort[]; networks: Record<string, string> } | undefined {
  if (spec.ports.some((p) => p.hostPort === 0) || networks.some((n) => !n.ipv4Address)) return undefined;
  const ports = spec.ports.map((p) => {
    const bindings = spec.ports.filter((b) => b.hostPort !== undefined && portKey(b) === portKey(p));
    const chosen = bindings.find((b) => b.hostIp === undefined || b.hostIp === '' || b.hostIp === '0.0.0.0') ?? bindings[0];
    return chosen?.hostPort !== undefined ? { ...p, boundHostPort: chosen.hostPort } : { ...p };
  });
  return { ports, networks: Object.fromEntries(networks.flatMap((n) => (n.ipv4Address ? [[n.id, n.ipv4Address]] : []))) };
}

export function endpointConfig(n: NetworkAttachment): Docker.EndpointSettings {
  const settings: Docker.EndpointSettings = { Aliases: n.aliases };
  if (n.ipv4Address) settings.IPAMConfig = { IPv4Address: n.ipv4Address };
  return settings;
}

function mount(app: string, v: VolumeSpec): Docker.MountSettings {
  switch (v.type) {
    case 'bind':
      return { Type: 'bind', Source: v.source, Target: v.target, ReadOnly: v.readOnly };
    case 'volume':
      // Named volumes belong to the application; labels let destroy find what it created.
      return {
        Type: 'volume',
        Source: volumeName(app, v.source),
        Target: v.target,
        ReadOnly: v.readOnly,
        VolumeOptions: { Labels: volumeLabels(app, v.source) } as Docker.MountSettings['VolumeOptions'],
      };
    case 'anonymous':
      // An empty source asks Docker for a fresh anonymous volume (removed with the container).
      return { Type: 'volume', Source: '', Target: v.target, ReadOnly: v.readOnly };
  }
}
