// Stage 4 for one service: validated raw service → model service (sizes, image, templates,
// implied dependencies). Link variables need the target's ports: see buildBlueprint.
import type { ClusterSize, ReloadSpec, ServiceSpec, Template } from '../model';
import { referencedServices } from '../references/resolveValue';
import type { Reporter } from '../reporter';
import { policiesWithSize } from '../schema/placementAndPolicies';
import type { RawReload } from '../schema/reload';
import type { RawService } from '../schema/service';
import { unbuiltImage } from './builtImage';
import { checkDockerRules } from './dockerRules';
import { refuseStraySecrets } from './straySecrets';
import { isLiteral, literalText, type ValueBuilder } from './valueBuilder';

function clusterSize(raw: RawService, path: (string | number)[], reporter: Reporter): ClusterSize {
  const c = raw.cluster;
  if (c?.initialSize !== undefined && raw.count !== undefined && c.initialSize !== raw.count) {
    reporter.error('size.conflict', [...path, 'count'], `count (${raw.count}) and cluster.initialSize (${c.initialSize}) disagree: give one`);
  }
  const initial = c?.initialSize ?? raw.count ?? c?.minSize ?? 1;
  const size = { initial, min: c?.minSize ?? (c ? Math.min(1, initial) : initial), max: c?.maxSize ?? initial };
  if (size.min > size.initial || size.initial > size.max) {
    reporter.error('size.range', [...path, c ? 'cluster' : 'count'], `cluster sizes must satisfy minSize ≤ initialSize ≤ maxSize, got ${size.min} ≤ ${size.initial} ≤ ${size.max}`);
  }
  return size;
}

/**
 * Each argv element parsed like an env value; a secret there would show in `ps` on the host.
 * A rejected element keeps its place (the blueprint is rejected anyway), so later checks
 * report at the right index.
 */
function reloadSpec(raw: RawReload, own: string, path: (string | number)[], values: ValueBuilder, reporter: Reporter): ReloadSpec {
  const exec = raw.exec.map((text, j): Template => {
    const at = [...path, 'exec', j];
    const value = values.template(text, own, at);
    if (value === undefined) return { parts: [] };
    const secret = value.parts.find((p) => p.kind === 'secret');
    if (secret !== undefined) {
      reporter.error('reload.secret', at, `secret "${secret.name}" cannot be an argument of reload.exec: an argv is visible in "ps" on the host; pass it in env instead and read it there`);
    }
    return value;
  });
  return { exec, timeoutMs: raw.timeout };
}

export function buildService(raw: RawService, app: string, path: (string | number)[], values: ValueBuilder, reporter: Reporter): ServiceSpec {
  if (raw.image === undefined && raw.build === undefined) reporter.error('schema.required', [...path, 'image'], 'a service needs "image" or "build"');
  refuseStraySecrets(raw, path, reporter);
  checkDockerRules(raw, path, reporter);
  const env: Record<string, string> = {};
  const envTemplates: ServiceSpec['envTemplates'] = {};
  for (const [key, text] of Object.entries(raw.env)) {
    const value = values.template(text, raw.id, [...path, 'env', key]);
    if (value === undefined) continue;
    if (isLiteral(value)) env[key] = literalText(value);
    else envTemplates[key] = value;
  }
  const links = Object.entries(raw.links).flatMap(([alias, text]) => {
    const service = values.linkTarget(text, [...path, 'links', alias]);
    return service === undefined ? [] : [{ alias, service }];
  });
  const reload = raw.reload === undefined ? undefined : reloadSpec(raw.reload, raw.id, [...path, 'reload'], values, reporter);
  const implied = [...Object.values(envTemplates).flatMap(referencedServices), ...(reload?.exec.flatMap(referencedServices) ?? []), ...links.map((l) => l.service)];
  const size = clusterSize(raw, path, reporter);
  const service: ServiceSpec = {
    id: raw.id,
    image: raw.image ?? unbuiltImage(app, raw.id),
    env,
    envTemplates,
    ports: raw.ports,
    count: size.initial,
    size,
    labels: raw.labels,
    dependsOn: [...new Set([...raw.dependsOn, ...implied])].filter((d) => d !== raw.id || raw.dependsOn.includes(d)),
    volumes: raw.volumes,
    networks: raw.networks,
    links,
    resources: { ...(raw.resources.cpus !== undefined && { cpus: raw.resources.cpus }), ...(raw.resources.memory !== undefined && { memoryBytes: raw.resources.memory }) },
    placement: raw.placement,
    policies: policiesWithSize(raw.policies, size),
  };
  if (raw.build !== undefined) service.build = raw.build;
  if (raw.command !== undefined) service.command = raw.command;
  if (raw.entrypoint !== undefined) service.entrypoint = raw.entrypoint;
  if (raw.user !== undefined) service.user = raw.user;
  if (raw.workingDir !== undefined) service.workingDir = raw.workingDir;
  if (raw.hostname !== undefined) service.hostname = raw.hostname;
  if (raw.init !== undefined) service.init = raw.init;
  if (raw.privileged !== undefined) service.privileged = raw.privileged;
  if (raw.capAdd !== undefined) service.capAdd = raw.capAdd;
  if (raw.pid !== undefined) service.pid = raw.pid;
  if (raw.stopSignal !== undefined) service.stopSignal = raw.stopSignal;
  if (raw.extraHosts !== undefined && raw.extraHosts.length > 0) service.extraHosts = raw.extraHosts;
  if (raw.dns !== undefined && raw.dns.length > 0) service.dns = raw.dns;
  if (raw.health !== undefined) service.health = raw.health;
  if (reload !== undefined) service.reload = reload;
  if (raw.update !== undefined) service.update = { batch: raw.update.batch, ...(raw.update.order !== undefined && { order: raw.update.order }) };
  return service;
}
