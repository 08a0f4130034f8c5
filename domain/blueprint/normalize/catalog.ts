// A Brooklyn catalog (`brooklyn.catalog`, as in a catalog.bom): which application in it to
// load, and which entity types it defines for that application's services to use.
//
//   brooklyn.catalog: {id, version, iconUrl, itemType, item}       one item
//   brooklyn.catalog: {version, iconUrl, items: [{id, item}, …]}   several; items may nest
//   brooklyn.catalog: {id, version} + services at the root         metadata for the root
//
// An item is an application (itemType template or application, or its item has services),
// an entity type (its item has a type), or a location (itemType location: an
// infrastructure here, see infraPointer.ts). itemType is inherited from the enclosing entry.
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import { isInfrastructureType } from './brooklynTypes';
import { byonHostsFrom, byonLocation } from './byonHosts';
import { infraName, infraPointer } from './infraPointer';
import { isPlainMap, type PlainMap } from './plainData';

export interface CatalogItem {
  id: string | undefined;
  name: string | undefined;
  itemType: string | undefined;
  item: unknown;
  /** Where the item's `item` value is written. */
  at: FieldPath;
  /** Where the entry (with its id) is written. */
  entryAt: FieldPath;
}

export interface CatalogApp {
  /** The application's blueprint: the root, or an item's `item`. */
  entry: PlainMap;
  from: FieldPath;
  /** Where each service is written, when not under `from`'s services (an item that is one entity). */
  servicesAt?: FieldPath[];
  /** A name for it when the blueprint itself has none: the catalog item's id. */
  fallbackName?: { value: string; at: FieldPath };
}

export interface Catalog {
  app: CatalogApp | undefined;
  /** Entity types by id (also `id:version`), for `type: ID` in services. */
  types: Map<string, CatalogItem>;
}

function catalogItems(node: unknown, at: FieldPath, inherited: string | undefined, reporter: Reporter): CatalogItem[] {
  if (typeof node === 'string') {
    reporter.warn('catalog.reference', at, `catalog entry "${node}" refers to another catalog: it is not loaded here`);
    return [];
  }
  if (!isPlainMap(node)) return [];
  const text = (k: string): string | undefined => (typeof node[k] === 'string' ? node[k] : undefined);
  const itemType = text('itemType') ?? inherited;
  const own: CatalogItem[] = 'item' in node
    ? [{ id: text('id') ?? text('symbolicName'), name: text('name') ?? text('displayName'), itemType, item: node['item'], at: [...at, 'item'], entryAt: at }]
    : [];
  const nested = Array.isArray(node['items']) ? node['items'].flatMap((child, i) => catalogItems(child, [...at, 'items', i], itemType, reporter)) : [];
  return [...own, ...nested];
}

function isApplication(c: CatalogItem): boolean {
  if (c.itemType === 'location' || c.itemType === 'policy' || c.itemType === 'enricher') return false;
  return c.itemType === 'template' || c.itemType === 'application' || (isPlainMap(c.item) && 'services' in c.item);
}

/** The type a catalog type finally stands for (`docker-cloud-x` → `docker-infrastructure` → a class). */
function finalType(type: unknown, types: Map<string, CatalogItem>): unknown {
  const seen = new Set<string>();
  for (let item = typeof type === 'string' ? types.get(type) : undefined; item !== undefined && !seen.has(type as string); item = typeof type === 'string' ? types.get(type) : undefined) {
    seen.add(type as string);
    type = isPlainMap(item.item) ? (item.item['type'] ?? item.item['serviceType']) : item.item;
  }
  return type;
}

function isInfrastructureTemplate(c: CatalogItem, types: Map<string, CatalogItem>): boolean {
  const services = asBlueprint(c)['services'];
  return Array.isArray(services) && services.length > 0 && services.every((e) => {
    const type = isPlainMap(e) ? finalType(e['type'] ?? e['serviceType'], types) : undefined;
    return typeof type === 'string' && isInfrastructureType(type);
  });
}

/** The application item as a blueprint: an item that is one entity becomes its only service. */
function asBlueprint(c: CatalogItem): PlainMap {
  return isPlainMap(c.item) && !('services' in c.item) ? { services: [c.item] } : isPlainMap(c.item) ? c.item : {};
}

function label(c: CatalogItem, i: number): string {
  return c.id ?? c.name ?? `items[${i}]`;
}

/** The location item's hosts and the pointer to `clocker infra create`. */
function reportLocation(c: CatalogItem, severity: 'error' | 'warning', reporter: Reporter): void {
  const byon = byonLocation(c.item) ?? (isPlainMap(c.item) && c.item['type'] === 'byon' ? byonHostsFrom(c.item) : undefined);
  const message = infraPointer(`catalog item "${c.id ?? c.name ?? 'location'}" (itemType: location)`, infraName([c.id, c.name]), byon);
  if (severity === 'error') reporter.error('catalog.location', [...c.entryAt, 'itemType'], message);
  else reporter.warn('catalog.location', [...c.entryAt, 'itemType'], `not loaded with the catalog's application: ${message}`);
}

export function readCatalog(root: PlainMap, reporter: Reporter): Catalog {
  const node = root['brooklyn.catalog'];
  if (node === undefined) return { app: { entry: root, from: [] }, types: new Map() };
  const items = catalogItems(node, ['brooklyn.catalog'], undefined, reporter);
  const types = new Map<string, CatalogItem>();
  for (const c of items.filter((c) => !isApplication(c) && c.itemType !== 'location' && c.id !== undefined)) {
    types.set(c.id as string, c);
    const version = isPlainMap(node) && node['version'] !== undefined ? String(node['version']) : undefined;
    if (version !== undefined) types.set(`${c.id as string}:${version}`, c);
  }
  const locations = items.filter((c) => c.itemType === 'location');
  // A template of Docker clouds (the 1.x catalog's docker-cloud-*) is an infrastructure: when
  // it is all there is, it loads so that its services get the pointer to `clocker infra create`.
  const templates = items.filter(isApplication);
  const infrastructures = templates.filter((c) => isInfrastructureTemplate(c, types));
  const apps = templates.filter((c) => !infrastructures.includes(c));
  const [firstInfrastructure, ...otherInfrastructures] = infrastructures;
  if (apps.length === 0 && !('services' in root) && firstInfrastructure !== undefined) {
    for (const c of otherInfrastructures) {
      reporter.warn('catalog.infrastructure', c.entryAt, `catalog item "${label(c, 0)}" is a Docker cloud too: an infrastructure here ("clocker infra create FILE"), like "${label(firstInfrastructure, 0)}"`);
    }
    apps.push(firstInfrastructure);
  }
  const catalogId = isPlainMap(node) && typeof node['id'] === 'string' ? node['id'] : undefined;
  if ('services' in root) {
    locations.forEach((c) => reportLocation(c, 'warning', reporter));
    return { app: { entry: root, from: [], ...(catalogId !== undefined && { fallbackName: { value: catalogId, at: ['brooklyn.catalog', 'id'] } }) }, types };
  }
  const [only] = apps;
  if (apps.length === 1 && only !== undefined) {
    locations.forEach((c) => reportLocation(c, 'warning', reporter));
    const id = only.id ?? only.name;
    const single = !(isPlainMap(only.item) && 'services' in only.item);
    return { app: { entry: asBlueprint(only), from: only.at, ...(single && { servicesAt: [only.at] }), ...(id !== undefined && { fallbackName: { value: id, at: [...only.entryAt, only.id !== undefined ? 'id' : 'name'] } }) }, types };
  }
  if (apps.length > 1) {
    reporter.error('catalog.applications', ['brooklyn.catalog'], `the catalog holds ${apps.length} applications (${apps.map(label).join(', ')}): deploy one at a time, as a blueprint of its own`);
  } else if (locations.length > 0) locations.forEach((c) => reportLocation(c, 'error', reporter));
  else {
    const ids = [...new Set([...types.values()].map((c) => c.id))].join(', ');
    reporter.error('catalog.noApplication', ['brooklyn.catalog'], `the catalog holds no application${ids === '' ? '' : `, only entity types (${ids})`}: write a blueprint with services that use them (services: [{type: ID}])`);
  }
  return { app: undefined, types };
}
