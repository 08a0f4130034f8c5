// Stage 2: Brooklyn / Clocker 1.x forms → the native shape. A native blueprint passes
// through untouched. Rebuilt fields record where they were written (SourcePositions).
//   brooklyn.catalog                     → its application (see catalog), its types usable
//   origin, iconUrl, version, tags, …    → ignored (catalog metadata)
//   locations: [x] / location: {x: {…}}  → location: x
//   brooklyn.config (root)               → config
//   services[] with type docker:IMAGE    → services[] (see clockerService)
//   services[] with type VirtualNetwork  → networks[] (see virtualNetwork)
//   a Docker cloud or host, a byon list  → an error pointing to `clocker infra create`
//   any other type, policy or enricher   → an error naming it (UI-only enrichers: a warning)
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import type { SourcePositions } from '../sourcePositions';
import { idPattern } from '../schema/primitives';
import { brooklynClassListKeys, classifyEntityType, isInfrastructureType, rejectClassList } from './brooklynTypes';
import { byonLocation, type ByonHosts } from './byonHosts';
import { readCatalog, type Catalog } from './catalog';
import { cosmeticKeys, parameterDefaults } from './catalogMetadata';
import { normalizeClockerService, type Layer } from './clockerService';
import { infraName, infraPointer } from './infraPointer';
import { isPlainMap, slug, type PlainMap } from './plainData';
import { normalizeVirtualNetwork } from './virtualNetwork';

const rootMarkers = ['locations', 'brooklyn.config', 'brooklyn.catalog', 'brooklyn.parameters', 'origin', 'iconUrl', ...brooklynClassListKeys];
const entryMarkers = ['type', 'serviceType', 'brooklyn.config', 'networkId'];

function isBrooklynStyle(root: PlainMap): boolean {
  const entries = [root['services'], root['networks']].flatMap((list) => (Array.isArray(list) ? list : []));
  return rootMarkers.some((k) => k in root) || entries.some((e) => isPlainMap(e) && entryMarkers.some((k) => k in e));
}

/** `type`, or Brooklyn's old spelling `serviceType`, read as `type` with a warning. */
function typeOf(entry: PlainMap, from: FieldPath, reporter: Reporter): { type: unknown; at: FieldPath } {
  if ('serviceType' in entry) {
    if ('type' in entry) reporter.error('brooklyn.conflict', [...from, 'serviceType'], '"serviceType" and "type" are both set: "serviceType" is the old spelling of "type", keep one', 'key');
    else {
      reporter.warn('brooklyn.serviceType', [...from, 'serviceType'], '"serviceType" is Brooklyn\'s old spelling of "type": read as "type"', 'key');
      return { type: entry['serviceType'], at: [...from, 'serviceType'] };
    }
  }
  return { type: entry['type'], at: [...from, 'type'] };
}

/** A service whose type is a catalog item: the item's definition, then the entry as written. */
function resolveLayers(entry: PlainMap, from: FieldPath, catalog: Catalog, reporter: Reporter): { layers: Layer[]; type: unknown; at: FieldPath; written: { type: unknown; at: FieldPath } } {
  const layers: Layer[] = [{ entry, from }];
  const written = typeOf(entry, from, reporter);
  let { type, at } = written;
  const seen = new Set<string>();
  for (let item = typeof type === 'string' ? catalog.types.get(type) : undefined; item !== undefined && !seen.has(type as string); item = typeof type === 'string' ? catalog.types.get(type) : undefined) {
    seen.add(type as string);
    if (typeof item.item === 'string') ({ type, at } = { type: item.item, at: item.at });
    else if (isPlainMap(item.item)) {
      layers.unshift({ entry: item.item, from: item.at });
      ({ type, at } = typeOf(item.item, item.at, reporter));
    } else break;
  }
  return { layers, type, at, written };
}

/** The blueprint's location: one infrastructure name. */
function location(value: unknown, path: FieldPath, reporter: Reporter): unknown {
  const list = Array.isArray(value) ? value : [value];
  const at = Array.isArray(value) ? [...path, 0] : path;
  if (list.length > 1) reporter.error('brooklyn.location', [...path, 1], 'only one location is supported: the infrastructure to deploy on');
  const first = list[0];
  const byon = byonLocation(first);
  if (byon !== undefined) {
    reporter.error('brooklyn.location', at, infraPointer('a byon location (a list of machines)', infraName([]), byon));
    return undefined;
  }
  const name = isPlainMap(first) ? Object.keys(first)[0] : first;
  if (name === 'localhost') {
    reporter.warn('brooklyn.location', at, '"localhost" is this machine: its Docker engine is the built-in "local" infrastructure');
    return 'local';
  }
  if (typeof name === 'string' && name.includes(':')) {
    reporter.error('brooklyn.location', at, `location "${name}" is a cloud: here applications deploy onto an infrastructure; create one with "clocker infra create FILE" (byon hosts) and give its name`);
    return undefined;
  }
  if (isPlainMap(first)) reporter.warn('brooklyn.location', at, `location settings are ignored: "${name ?? ''}" names an infrastructure, configured with "clocker infra"`);
  return name;
}

/** The hosts an infrastructure blueprint names: on the entry, else on the blueprint; or this machine. */
function infraHosts(values: unknown[]): ByonHosts | 'localhost' | undefined {
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const byon = byonLocation(item);
      if (byon !== undefined) return byon;
      if (item === 'localhost' || (isPlainMap(item) && 'localhost' in item)) return 'localhost';
    }
  }
  return undefined;
}

/**
 * A Docker cloud or host among the services: the pointer to `clocker infra create`, at the
 * type as written, named by the cloud's 1.x location name (what applications deployed to).
 */
function reportInfrastructure(type: string, r: ReturnType<typeof resolveLayers>, names: unknown[], hosts: ByonHosts | 'localhost' | undefined, reporter: Reporter): void {
  const config = Object.assign({}, ...r.layers.map((l) => (isPlainMap(l.entry['brooklyn.config']) ? l.entry['brooklyn.config'] : {}))) as PlainMap;
  const what = r.written.type === type ? `"${type}" (${infraNoun(type)})` : `"${String(r.written.type)}" (catalog item for ${type}, ${infraNoun(type)})`;
  if (hosts === 'localhost') {
    reporter.error('brooklyn.infrastructure', r.written.at, `${what} on localhost is this machine's Docker engine: here that is the built-in "local" infrastructure, nothing to create; deploy applications with "location: local"`);
  } else reporter.error('brooklyn.infrastructure', r.written.at, infraPointer(what, infraName([config['entity.dynamicLocation.name'], ...names]), hosts));
}

function infraNoun(type: string): string {
  return type === 'byon' ? 'a list of machines' : /docker-host|DockerHost$/.test(type) ? 'a Docker host' : 'a Docker cloud';
}

/** The application's name: `name` if Docker takes it, else the Brooklyn `id`, else the catalog item's id, else `name` made into one. */
function applicationName(app: PlainMap, from: FieldPath, fallback: Catalog['app'], out: PlainMap, positions: SourcePositions, reporter: Reporter): void {
  const candidates: [unknown, FieldPath][] = [[app['name'], [...from, 'name']], [app['id'], [...from, 'id']]];
  if (fallback?.fallbackName) candidates.push([fallback.fallbackName.value, fallback.fallbackName.at]);
  const valid = candidates.find(([v]) => typeof v === 'string' && idPattern.test(v));
  if (valid) {
    out['name'] = valid[0];
    positions.recordMove(['name'], valid[1]);
    if (valid[1] !== candidates[0]?.[1] && typeof app['name'] === 'string' && !('description' in app)) {
      out['description'] = app['name'];
      positions.recordMove(['description'], [...from, 'name']);
    }
    return;
  }
  const named = candidates.find(([v]) => typeof v === 'string' && slug(v) !== '');
  if (named) {
    const [value, at] = named as [string, FieldPath];
    out['name'] = slug(value);
    positions.recordMove(['name'], at);
    reporter.warn('brooklyn.name', at, `"${value}" is not a Docker name: the application is named "${slug(value)}"`);
  } else if ('name' in app) (out['name'] = app['name']), positions.recordMove(['name'], [...from, 'name']);
}

export function normalizeBrooklyn(data: unknown, positions: SourcePositions, reporter: Reporter): { data: unknown; format: 'native' | 'clocker1' } {
  if (!isPlainMap(data) || !isBrooklynStyle(data)) return { data, format: 'native' };
  const catalog = readCatalog(data, reporter);
  if (catalog.app === undefined) return { data: {}, format: 'clocker1' };
  const { entry: app, from } = catalog.app;
  const out: PlainMap = {};
  const services: unknown[] = [];
  const networks: unknown[] = [];
  const addNetwork = (entry: PlainMap, at: FieldPath): void => {
    networks.push(normalizeVirtualNetwork(entry, at, ['networks', networks.length], reporter));
  };
  applicationName(app, from, catalog.app, out, positions, reporter);
  const entries = Array.isArray(app['services']) ? app['services'] : [];
  const serviceAt = (i: number): FieldPath => catalog.app?.servicesAt?.[i] ?? [...from, 'services', i];
  const resolved = entries.map((entry, i) => (isPlainMap(entry) ? resolveLayers(entry, serviceAt(i), catalog, reporter) : undefined));
  const isInfrastructure = resolved.some((r) => typeof r?.type === 'string' && isInfrastructureType(r.type));
  const appLocation = app['location'] ?? app['locations'];
  for (const [key, value] of Object.entries(app)) {
    const at = [...from, key];
    if (key === 'location' || key === 'locations') {
      if (isInfrastructure) continue;
      const name = location(value, at, reporter);
      if (name !== undefined) (out['location'] = name), positions.recordMove(['location'], at);
    } else if (key === 'brooklyn.config') {
      out['config'] = value;
      positions.recordMove(['config'], at);
    } else if (brooklynClassListKeys.includes(key)) rejectClassList(key, value, from, reporter);
    else if (['name', 'id', 'brooklyn.catalog', 'brooklyn.parameters', ...cosmeticKeys].includes(key)) continue;
    else if (key === 'networks' && Array.isArray(value)) {
      value.forEach((entry, i) => (isPlainMap(entry) ? addNetwork(entry, [...at, i]) : networks.push(entry)));
    } else if (key === 'services' && Array.isArray(value)) {
      value.forEach((entry, i) => {
        const r = resolved[i];
        if (!isPlainMap(entry) || r === undefined) return void (positions.recordMove(['services', services.length], serviceAt(i)), services.push(entry));
        const type = classifyEntityType(r.type, r.at, reporter, [...catalog.types.keys()]);
        if (type.kind === 'network') addNetwork(Object.assign({}, ...r.layers.map((l) => l.entry)) as PlainMap, serviceAt(i));
        else if (type.kind === 'infrastructure') {
          const names = [app['id'], app['name'], catalog.app?.fallbackName?.value];
          reportInfrastructure(type.type, r, names, infraHosts([entry['location'], entry['locations'], appLocation]), reporter);
        } else if (type.kind !== 'rejected') {
          services.push(normalizeClockerService(r.layers, type.kind === 'docker' ? type.image : undefined, ['services', services.length], reporter));
        }
      });
    } else (out[key] = value), positions.recordMove([key], at);
  }
  const defaults = parameterDefaults(app['brooklyn.parameters']);
  if (Object.keys(defaults).length > 0) out['config'] = { ...defaults, ...(isPlainMap(out['config']) ? out['config'] : {}) };
  if (Array.isArray(app['services'])) out['services'] = services;
  else if ('services' in app) (out['services'] = app['services']), positions.recordMove(['services'], [...from, 'services']);
  if (networks.length > 0 || 'networks' in app) out['networks'] = networks;
  return { data: out, format: 'clocker1' };
}

