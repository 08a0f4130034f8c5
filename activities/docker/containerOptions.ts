// Pure builder: what Docker is asked to create for one member. Tests pin its output.
import type Docker from 'dockerode';
import type { ServiceSpec } from '../../domain/blueprint/model';
import { LABEL_PREFIX, containerName, memberLabels, type MemberRef } from '../../domain/naming';

export function portKey(p: { containerPort: number; protocol: 'tcp' | 'udp' }): string {
  return `${p.containerPort}/${p.protocol}`;
}

export function containerCreateOptions(ref: MemberRef, spec: ServiceSpec): Docker.ContainerCreateOptions {
  const userLabels = Object.fromEntries(Object.entries(spec.labels).filter(([k]) => !k.startsWith(LABEL_PREFIX)));
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    exposed[portKey(p)] = {};
    if (p.hostPort !== undefined) bindings[portKey(p)] = [{ HostPort: p.hostPort === 0 ? '' : String(p.hostPort) }];
  }
  const options: Docker.ContainerCreateOptions = {
    name: containerName(ref),
    Image: spec.image,
    Env: Object.entries(spec.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
    Labels: { ...userLabels, ...memberLabels(ref) },
    ExposedPorts: exposed,
    HostConfig: { PortBindings: bindings },
  };
  if (spec.command) options.Cmd = spec.command;
  if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
  return options;
}
