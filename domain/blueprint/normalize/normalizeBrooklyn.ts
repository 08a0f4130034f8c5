// Stage 2: Brooklyn / Clocker 1.x forms → the native shape. A native blueprint passes
// through untouched. Rebuilt fields record where they were written (SourcePositions).
//   locations: [x] / location: {x: {…}}  → location: x
//   brooklyn.config (root)               → config
//   services[] with type docker:IMAGE    → services[] (see clockerService)
//   services[] with type VirtualNetwork  → networks[] (see virtualNetwork)
//   any other type, policy or enricher   → an error naming it
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import type { SourcePositions } from '../sourcePositions';
import { brooklynClassListKeys, classifyEntityType, rejectClassList } from './brooklynTypes';
import { normalizeClockerService } from './clockerService';
import { isPlainMap, slug, type PlainMap } from './plainData';
import { dockerNamePattern } from '../schema/primitives';
import { normalizeVirtualNetwork } from './virtualNetwork';

const rootMarkers = ['locations', 'brooklyn.config', ...brooklynClassListKeys];
const entryMarkers = ['type', 'brooklyn.config', 'networkId'];

function isBrooklynStyle(root: PlainMap): boolean {
  const entries = [root['services'], root['networks']].flatMap((list) => (Array.isArray(list) ? list : []));
  return rootMarkers.some((k) => k in root) || entries.some((e) => isPlainMap(e) && entryMarkers.some((k) => k in e));
}

function location(value: unknown, path: FieldPath, reporter: Reporter): unknown {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 1) reporter.error('brooklyn.location', [...path, 1], 'only one location is supported: the infrastructure to deploy on');
  const first = list[0];
  if (!isPlainMap(first)) return first;
  const [name] = Object.keys(first);
  reporter.warn('brooklyn.location', Array.isArray(value) ? [...path, 0] : path, `location settings are ignored: "${name ?? ''}" names an infrastructure, configured with "clocker infra"`);
  return name;
}

export function normalizeBrooklyn(data: unknown, positions: SourcePositions, reporter: Reporter): { data: unknown; format: 'native' | 'clocker1' } {
  if (!isPlainMap(data) || !isBrooklynStyle(data)) return { data, format: 'native' };
  const out: PlainMap = {};
  const services: unknown[] = [];
  const networks: unknown[] = [];
  const addNetwork = (entry: PlainMap, from: FieldPath): void => {
    networks.push(normalizeVirtualNetwork(entry, from, ['networks', networks.length], positions));
  };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'location' || key === 'locations') {
      out['location'] = location(value, [key], reporter);
      positions.recordMove(['location'], [key]);
    } else if (key === 'brooklyn.config') {
      out['config'] = value;
      positions.recordMove(['config'], [key]);
    } else if (brooklynClassListKeys.includes(key)) rejectClassList(key, value, [], reporter);
    else if (key === 'name' && typeof value === 'string' && !dockerNamePattern.test(value) && slug(value) !== '') {
      out['name'] = slug(value);
      reporter.warn('brooklyn.name', [key], `"${value}" is not a Docker name: the application is named "${slug(value)}"`);
    } else if (key === 'id' && !('name' in data)) out['name'] = value;
    else if (key === 'id') reporter.warn('brooklyn.id', [key], 'the application "id" is ignored: "name" names the application', 'key');
    else if (key === 'networks' && Array.isArray(value)) {
      value.forEach((entry, i) => (isPlainMap(entry) ? addNetwork(entry, ['networks', i]) : networks.push(entry)));
    } else if (key === 'services' && Array.isArray(value)) {
      value.forEach((entry, i) => {
        const from = ['services', i];
        if (!isPlainMap(entry)) return void (positions.recordMove(['services', services.length], from), services.push(entry));
        const type = classifyEntityType(entry['type'], [...from, 'type'], reporter);
        if (type.kind === 'network') addNetwork(entry, from);
        else if (type.kind !== 'rejected') {
          services.push(normalizeClockerService(entry, type.kind === 'docker' ? type.image : undefined, from, ['services', services.length], reporter));
        }
      });
    } else out[key] = value;
  }
  if (Array.isArray(data['services'])) out['services'] = services;
  if (networks.length > 0 || 'networks' in data) out['networks'] = networks;
  return { data: out, format: 'clocker1' };
}
