// What a Brooklyn `type:` means here. Docker images run; the seed's VirtualNetwork becomes a
// network; Java entity, policy and enricher classes cannot run and are errors naming them.
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import { isPlainMap } from './plainData';

export type EntityType = { kind: 'docker'; image: string } | { kind: 'network' } | { kind: 'native' } | { kind: 'rejected' };

export const virtualNetworkTypes = ['brooklyn.networking.VirtualNetwork', 'org.apache.brooklyn.networking.VirtualNetwork'];
const javaClassName = /^[a-z][\w]*(\.[\w$]+)+$/;

export function classifyEntityType(type: unknown, path: FieldPath, reporter: Reporter): EntityType {
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
  const message = javaClassName.test(type)
    ? `Brooklyn Java entity type "${type}" cannot run here: only Docker images run (type: docker:IMAGE[:TAG], or a service with "image")`
    : `unknown service type "${type}": write docker:IMAGE[:TAG], or a service with "image"`;
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

/** One error per class listed under `brooklyn.policies` and friends, at its `type`. */
export function rejectClassList(key: string, list: unknown, path: FieldPath, reporter: Reporter): void {
  const kind = classKeys[key];
  if (!kind) return;
  const entries = Array.isArray(list) ? list : [list];
  entries.forEach((entry, i) => {
    const entryPath = Array.isArray(list) ? [...path, key, i] : [...path, key];
    const typeKey = isPlainMap(entry) ? kind.keys.find((k) => typeof entry[k] === 'string') : undefined;
    const type = typeKey !== undefined && isPlainMap(entry) ? String(entry[typeKey]) : JSON.stringify(entry);
    const at = typeKey !== undefined ? [...entryPath, typeKey] : entryPath;
    reporter.error(`brooklyn.${kind.noun.replace(' ', '')}Class`, at, `Brooklyn ${kind.noun} "${type}" cannot run here: ${kind.instead}`);
  });
}
