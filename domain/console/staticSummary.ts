// What each Clocker workflow says of itself in the Web UI when it starts: a one-line summary
// for the workflow list and markdown details for its page (the "static" user metadata, set
// once at start). What changes later is in currentDetails.ts.
import type { Blueprint, ServiceSpec } from '../blueprint/model';
import { capBytes, code, counted, DETAILS_MAX_BYTES, summaryLine, table } from './markdown';

const sizeText = (spec: Pick<ServiceSpec, 'count' | 'size'>) =>
  spec.size.min === spec.size.max ? `${spec.count}` : `${spec.count} (${spec.size.min}..${spec.size.max})`;

/** `application shop: 3 services on infrastructure lab` */
export function applicationSummary(blueprint: Pick<Blueprint, 'name' | 'location' | 'services'>): string {
  return summaryLine(`application ${blueprint.name}: ${counted(blueprint.services.length, 'service')} on infrastructure ${blueprint.location}`);
}

export function applicationStaticDetails(blueprint: Blueprint): string {
  const services = blueprint.services.map((s) => [s.id, code(s.image), sizeText(s), s.dependsOn.join(', ')]);
  return capBytes(
    [
      `**Application ${blueprint.name}** on infrastructure \`${blueprint.location}\`, from \`${blueprint.source.file}\` (${blueprint.source.format}).`,
      '',
      table(['service', 'image', 'members', 'depends on'], services),
      '',
      blueprint.networks.length > 0 ? `Networks: ${blueprint.networks.map((n) => `${n.id} (${n.driver ?? 'driver by the infrastructure: overlay on several hosts, bridge on one'})`).join(', ')}.` : '',
      'Signals: `destroy`, `stop`, `start`, `restart`; query `status`. The current details follow every service and member.',
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
    DETAILS_MAX_BYTES,
  );
}

export interface ServiceStart {
  app: string;
  infrastructure: string;
  spec: Pick<ServiceSpec, 'id' | 'image' | 'count' | 'size' | 'dependsOn'>;
}

/** `service shop/web: 3 × nginx:1 on infrastructure lab` */
export function serviceSummary({ app, infrastructure, spec }: ServiceStart): string {
  return summaryLine(`service ${app}/${spec.id}: ${sizeText(spec)} × ${spec.image} on infrastructure ${infrastructure}`);
}

export function serviceStaticDetails({ app, infrastructure, spec }: ServiceStart): string {
  const bounds = spec.size.min === spec.size.max ? `fixed at ${spec.count} (count: N cannot be resized)` : `${spec.size.min}..${spec.size.max}`;
  return capBytes(
    [
      `**Service ${spec.id}** of application \`${app}\` on infrastructure \`${infrastructure}\`.`,
      '',
      `- image: ${code(spec.image)}`,
      `- members: ${spec.count}, bounds ${bounds}`,
      spec.dependsOn.length > 0 ? `- depends on: ${spec.dependsOn.join(', ')}` : '- depends on: nothing',
      '',
      'Resize with the signal `resize` and input `{"size": n}`, or `scale` with `{"by": n}` (the Update `resizeService` answers, or refuses a size outside the bounds).',
    ].join('\n'),
    DETAILS_MAX_BYTES,
  );
}

export interface InfrastructureStart {
  name: string;
  hosts: { id: string; address: string }[];
  provision?: { hosts: { id: string; address: string }[]; spares: { id: string }[] };
}

/** `infrastructure lab: 3 hosts over SSH, 1 spare` or `infrastructure local: 1 host` */
export function infrastructureSummary(spec: InfrastructureStart): string {
  const byon = spec.provision;
  const what = byon
    ? `${counted(byon.hosts.length, 'host')} over SSH${byon.spares.length > 0 ? `, ${counted(byon.spares.length, 'spare')}` : ''}`
    : counted(spec.hosts.length, 'host');
  return summaryLine(`infrastructure ${spec.name}: ${what}`);
}

export function infrastructureStaticDetails(spec: InfrastructureStart): string {
  const hosts = [...spec.hosts, ...(spec.provision?.hosts ?? [])];
  return capBytes(
    [
      `**Infrastructure ${spec.name}**: the scheduler of its hosts. Every placement and address goes through its Updates.`,
      '',
      table(['host', 'address'], hosts.map((h) => [h.id, h.address])),
      '',
      'Signals: `resize` `{"hosts": n}`, `addHost`, `removeHost` `{"hostId": "h2"}`; query `status`.',
    ].join('\n'),
    DETAILS_MAX_BYTES,
  );
}

/** `host h2 (192.0.2.12) of infrastructure lab` */
export function hostSummary(infrastructure: string, host: { id: string; address: string }): string {
  return summaryLine(`host ${host.id} (${host.address}) of infrastructure ${infrastructure}`);
}

export function hostStaticDetails(infrastructure: string, host: { id: string; address: string; user?: string; port?: number }): string {
  const ssh = host.user !== undefined ? ` over SSH as \`${host.user}@${host.address}:${host.port ?? 22}\`` : '';
  return `**Host ${host.id}** of infrastructure \`${infrastructure}\`${ssh}: provisioned (Docker, TLS certificates, daemon), then probed until it is decommissioned.`;
}

/** `monitor of host h2's members in infrastructure lab` */
export function monitorSummary(infrastructure: string, hostId: string): string {
  return summaryLine(`monitor of host ${hostId}'s members in infrastructure ${infrastructure}`);
}

export function monitorStaticDetails(infrastructure: string, hostId: string): string {
  return `**Monitor of host ${hostId}** in infrastructure \`${infrastructure}\`: watches the engine's events and probes the members placed there, and tells their services when one dies, runs out of memory or turns unhealthy.`;
}

/** `preflight of shop on infrastructure lab` */
export function preflightSummary(blueprint: Pick<Blueprint, 'name' | 'location'>): string {
  return summaryLine(`preflight of ${blueprint.name} on infrastructure ${blueprint.location}: checks only, nothing created`);
}
