// What a Brooklyn `type:` means here. Docker images run (`docker:IMAGE`, or 1.x's
// VanillaDockerApplication with docker.image.name); the seed's VirtualNetwork becomes a
// network; a Docker cloud or host is an infrastructure (made with `clocker infra create`);
// Java entity and policy classes cannot run and are errors naming them. Enrichers that only
// derive attributes for Brooklyn's UI are ignored with a warning: the blueprint means the
// same without them.
import { didYouMean } from '../didYouMean';
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import { isPlainMap } from './plainData';

export type EntityType =
  /** `image` undefined: named by the entry's docker.image.name / imageName. */
  | { kind: 'docker'; image: string | undefined }
  | { kind: 'network' }
  | { kind: 'infrastructure'; type: string }
  | { kind: 'native' }
  | { kind: 'rejected' };

export const virtualNetworkTypes = ['brooklyn.networking.VirtualNetwork', 'org.apache.brooklyn.networking.VirtualNetwork'];
const javaClassName = /^[a-z][\w]*(\.[\w$]+)+$/;

/** Clocker 1.x's Docker cloud and host entities, by class and by catalog id, and Brooklyn's machine locations. */
const infrastructureNames = ['docker-cloud', 'docker-host', 'docker-infrastructure', 'docker-localhost', 'byon'];
export function isInfrastructureType(type: string): boolean {
  const bare = type.replace(/:[\d.]+(-SNAPSHOT)?$/, '');
  return infrastructureNames.includes(bare) || bare.startsWith('docker-cloud-') || /(^|\.)Docker(Infrastructure|Host)$/.test(bare);
}

export function classifyEntityType(type: unknown, path: FieldPath, reporter: Reporter, catalogIds: readonly string[] = []): EntityType {
  if (type === undefined) return { kind: 'native' };
  if (typeof type !== 'string') {
    reporter.error('brooklyn.type', path, 'expected a type like "docker:IMAGE[:TAG]"');
    return { kind: 'rejected' };
  }
  if (type.startsWith('docker:')) {
    const image = type.slice('docker:'.length);
    if (image !== '') return { kind: 'docker', image };
    reporter.error('brooklyn.type', path, 'type "docker:" names no image: write docker:IMAGE[:TAG]');
    return { kind: 'rejected' };
  }
  if (virtualNetworkTypes.includes(type)) return { kind: 'network' };
  // Clocker 1.x's entity for "just run this image", the image given by docker.image.name.
  if (/(^|\.)VanillaDockerApplication$/.test(type)) return { kind: 'docker', image: undefined };
  if (isInfrastructureType(type)) return { kind: 'infrastructure', type };
  const message = javaClassName.test(type)
    ? `Brooklyn Java entity type "${type}" cannot run here: only Docker images run (type: docker:IMAGE[:TAG], or a service with "image")`
    : `unknown service type "${type}"${didYouMean(type, catalogIds)}: write docker:IMAGE[:TAG], or a service with "image"`;
  reporter.error('brooklyn.javaType', path, message);
  return { kind: 'rejected' };
}

const classKeys: Record<string, { noun: string; keys: string[]; instead: string }> = {
  'brooklyn.policies': { noun: 'policy', keys: ['type', 'policyType'], instead: 'use "policies:" (autoscaler, restarter, replacer)' },
  'brooklyn.enrichers': { noun: 'enricher', keys: ['type', 'enricherType'], instead: 'services publish host.address, port.<n> and ip.<network> themselves' },
  'brooklyn.initializers': { noun: 'initializer', keys: ['type'], instead: 'initializers are not supported' },
  'brooklyn.children': { noun: 'child entity', keys: ['type'], instead: 'declare each container as a service' },
};

export const brooklynClassListKeys = Object.keys(classKeys);

/**
 * Enrichers that copy or reshape attributes (for Brooklyn's UI and its policies); services
 * here publish their addresses and ports themselves, so dropping these changes nothing.
 */
const cosmeticEnricher = /^(org\.apache\.brooklyn\.enricher\.stock|brooklyn\.enricher\.basic|brooklyn\.enricher)\.(Transformer|Propagator|Aggregator|Joiner|Combiner|UpdatingMap)$/;

/** One diagnostic per class listed under `brooklyn.policies` and friends, at its `type`. */
export function rejectClassList(key: string, list: unknown, path: FieldPath, reporter: Reporter): void {
  const kind = classKeys[key];
  if (!kind) return;
  const entries = Array.isArray(list) ? list : [list];
  entries.forEach((entry, i) => {
    const entryPath = Array.isArray(list) ? [...path, key, i] : [...path, key];
    const typeKey = isPlainMap(entry) ? kind.keys.find((k) => typeof entry[k] === 'string') : undefined;
    const type = typeKey !== undefined && isPlainMap(entry) ? String(entry[typeKey]) : JSON.stringify(entry);
    const at = typeKey !== undefined ? [...entryPath, typeKey] : entryPath;
    if (key === 'brooklyn.enrichers' && cosmeticEnricher.test(type)) {
      reporter.warn('brooklyn.enricherIgnored', at, `Brooklyn enricher "${type}" is ignored: it only derives attributes for Brooklyn; ${kind.instead}`);
    } else reporter.error(`brooklyn.${kind.noun.replace(' ', '')}Class`, at, `Brooklyn ${kind.noun} "${type}" cannot run here: ${kind.instead}`);
  });
}
