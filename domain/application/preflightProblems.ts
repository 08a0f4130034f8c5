// What the preflight found, as blueprint problems: each one `{ code, path, message }`, the path
// a native blueprint field path (['services', 2, 'ports', 0]) that the CLI turns into
// file:line:column through the loader's source positions. Pure: the checks that touch the
// world (secret store, Docker engines, the infrastructure) answer plain data, and this turns
// their answers into problems.
import type { Blueprint, ServiceSpec } from '../blueprint/model';
import { pathText, type FieldPath } from '../blueprint/fieldPath';
import type { HostPolicy } from '../infra/hostPolicy';
import type { DockerEndpoint } from '../infra/model';
import type { ServiceAdmission } from './admission';

export interface PreflightProblem {
  /** Stable kind: `secret.missing`, `location.unknown`, `placement.infeasible`, `port.taken`, … */
  code: string;
  path: (string | number)[];
  message: string;
}

/** A host the dry run chose, as the infrastructure knows it. */
export interface AdmissionHost {
  id: string;
  address: string;
  docker: DockerEndpoint;
}

/** The infrastructure's answer to a dry run: per service, and the hosts it would use. */
export interface AdmissionAnswer {
  services: ServiceAdmission[];
  hosts: AdmissionHost[];
  /** Every host of the infrastructure, chosen or not (relative bind mounts need exactly one, local). */
  hostCount: number;
  /** What blueprints may do to its hosts. Absent in answers recorded before policies: not checked then. */
  policy?: HostPolicy;
}

export interface PublishedPort {
  port: number;
  protocol: 'tcp' | 'udp';
}

/** What to look at on one chosen host: the images its members need and the fixed host ports they publish. */
export interface HostCheckRequest {
  hostId: string;
  address: string;
  docker: DockerEndpoint;
  images: string[];
  ports: PublishedPort[];
}

export interface HostCheckAnswer {
  hostId: string;
  /** Set when the engine did not answer: nothing else on the host could be checked. */
  unreachable?: string;
  images: { image: string; problem: string }[];
  ports: (PublishedPort & { holder: string })[];
}

const serviceIndex = (blueprint: Blueprint, id: string) => blueprint.services.findIndex((s) => s.id === id);

/** Each missing secret, at every env entry (or reload argv) that references it. */
export function secretProblems(blueprint: Blueprint, missing: readonly string[]): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const name of missing) {
    const where: FieldPath[] = [];
    blueprint.services.forEach((s, i) => {
      for (const [key, t] of Object.entries(s.envTemplates)) if (t.parts.some((p) => p.kind === 'secret' && p.name === name)) where.push(['services', i, 'env', key]);
      s.reload?.exec.forEach((t, j) => {
        if (t.parts.some((p) => p.kind === 'secret' && p.name === name)) where.push(['services', i, 'reload', 'exec', j]);
      });
    });
    const message = `secret "${name}" is not in the worker's secret store (CLOCKER_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')} or the secrets folder)`;
    if (where.length === 0) problems.push({ code: 'secret.missing', path: [], message });
    for (const path of where) problems.push({ code: 'secret.missing', path: [...path], message });
  }
  return problems;
}

export function locationProblem(blueprint: Blueprint): PreflightProblem {
  return {
    code: 'location.unknown',
    path: ['location'],
    message: `infrastructure "${blueprint.location}" is not running; start it with \`clocker up\` (local) or \`clocker infra create\` (nothing that needs its hosts, placement, ports or images, was checked)`,
  };
}

/** Each service that does not fit, with the scheduler's reason. */
export function placementProblems(blueprint: Blueprint, answer: AdmissionAnswer): PreflightProblem[] {
  const members = blueprint.services.reduce((n, s) => n + s.count, 0);
  return answer.services.flatMap((a) =>
    a.ok ? [] : [{ code: 'placement.infeasible', path: ['services', serviceIndex(blueprint, a.service)], message: `does not fit (the application needs ${members} members in all): ${a.reason}` }],
  );
}

const fixedPorts = (s: ServiceSpec): { port: PublishedPort; index: number }[] =>
  s.ports.flatMap((p, index) => ((p.hostPort ?? 0) !== 0 ? [{ port: { port: p.hostPort as number, protocol: p.protocol }, index }] : []));

/** Which services the dry run put on which host (each service once per host). */
function servicesByHost(blueprint: Blueprint, answer: AdmissionAnswer): Map<string, ServiceSpec[]> {
  const byHost = new Map<string, ServiceSpec[]>();
  for (const a of answer.services) {
    const spec = blueprint.services.find((s) => s.id === a.service);
    if (!a.ok || !spec) continue;
    for (const host of new Set(a.hosts)) byHost.set(host, [...(byHost.get(host) ?? []), spec]);
  }
  return byHost;
}

/** Two services of the application publishing one fixed host port on one host. */
export function portClashes(blueprint: Blueprint, answer: AdmissionAnswer): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const [host, specs] of servicesByHost(blueprint, answer)) {
    const first = new Map<string, string>();
    for (const s of specs) {
      for (const { port, index } of fixedPorts(s)) {
        const key = `${port.port}/${port.protocol}`;
        const other = first.get(key);
        if (other === undefined) first.set(key, s.id);
        else problems.push({ code: 'port.clash', path: ['services', serviceIndex(blueprint, s.id), 'ports', index], message: `host port ${key} on host ${host} is also published by service ${other} of this application` });
      }
    }
  }
  return problems;
}

/** What to check on each chosen host. Images built at deploy (`build:`) are not looked for. */
export function hostCheckRequests(blueprint: Blueprint, answer: AdmissionAnswer): HostCheckRequest[] {
  const byHost = servicesByHost(blueprint, answer);
  return answer.hosts
    .filter((h) => byHost.has(h.id))
    .map((h) => {
      const specs = byHost.get(h.id) ?? [];
      const images = [...new Set(specs.filter((s) => !s.build).map((s) => s.image))].sort();
      const ports = specs.flatMap((s) => fixedPorts(s).map((f) => f.port));
      return { hostId: h.id, address: h.address, docker: h.docker, images, ports };
    });
}

/** The hosts' answers, placed at the services that need the image or the port there. */
export function hostProblems(blueprint: Blueprint, answer: AdmissionAnswer, answers: readonly HostCheckAnswer[]): PreflightProblem[] {
  const byHost = servicesByHost(blueprint, answer);
  const problems: PreflightProblem[] = [];
  for (const a of answers) {
    const specs = byHost.get(a.hostId) ?? [];
    if (a.unreachable !== undefined) {
      for (const s of specs) problems.push({ code: 'host.unreachable', path: ['services', serviceIndex(blueprint, s.id)], message: `host ${a.hostId} chosen for it did not answer: ${a.unreachable}` });
      continue;
    }
    for (const img of a.images) {
      for (const s of specs.filter((x) => !x.build && x.image === img.image)) {
        problems.push({ code: 'image.unavailable', path: ['services', serviceIndex(blueprint, s.id), 'image'], message: `image ${img.image}: ${img.problem}` });
      }
    }
    for (const taken of a.ports) {
      for (const s of specs) {
        for (const { port, index } of fixedPorts(s)) {
          if (port.port !== taken.port || port.protocol !== taken.protocol) continue;
          problems.push({ code: 'port.taken', path: ['services', serviceIndex(blueprint, s.id), 'ports', index], message: `host port ${taken.port}/${taken.protocol} on host ${a.hostId} is held by ${taken.holder}` });
        }
      }
    }
  }
  return problems;
}

/**
 * A bind mount written relative to the blueprint exists only on the machine that loaded the
 * file: fine on the one local host, refused anywhere else.
 */
export function relativeBindProblems(blueprint: Blueprint, answer: AdmissionAnswer): PreflightProblem[] {
  const local = answer.hostCount === 1 && answer.hosts.every((h) => h.docker.kind === 'socket');
  if (local) return [];
  const problems: PreflightProblem[] = [];
  blueprint.services.forEach((s, i) =>
    s.volumes.forEach((v, j) => {
      if (v.type !== 'bind' || !v.fromFile) return;
      problems.push({
        code: 'volume.relativeBind',
        path: ['services', i, 'volumes', j],
        message: `${v.source} was written relative to the blueprint, so it exists only where the file was loaded; infrastructure "${blueprint.location}" has ${answer.hostCount} host(s) or a remote engine: use an absolute path present on every host, or a named volume`,
      });
    }),
  );
  return problems;
}

/** `services[2].ports[0]: message`, for a status line where no file is at hand. */
export function problemLine(p: PreflightProblem): string {
  const where = pathText(p.path);
  return where === '' ? p.message : `${where}: ${p.message}`;
}
