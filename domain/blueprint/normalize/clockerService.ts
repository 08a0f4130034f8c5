// One Clocker 1.x / Brooklyn service entry → a native service entry. Keys may sit at the
// entry's root or under `brooklyn.config`, short (`openPorts`) or long
// (`docker.container.openPorts`); unknown `brooklyn.config` keys are config values (what
// `$brooklyn:config("key")` reads), unless they look like a misspelt container key.
// An entry whose type is a catalog item comes as layers: the item's definition first, the
// entry as written last; a key set in a later layer replaces it (env merges by name).
import { closest, didYouMean } from '../didYouMean';
import type { FieldPath } from '../fieldPath';
import { parseValue } from '../references/parseValue';
import type { Reporter } from '../reporter';
import { serviceSpec } from '../schema/service';
import { brooklynClassListKeys, rejectClassList } from './brooklynTypes';
import { cosmeticKeys, parameterDefaults } from './catalogMetadata';
import { appender, containerLinks, containerPorts, containerVolumes, longContainerKeys, mergePorts } from './containerKeys';
import { dockerfileUrlBuild, dockerfileUrlKeys } from './dockerfileUrl';
import { isPlainMap, slug, type PlainMap } from './plainData';

const portKeys = ['openPorts', 'directPorts', 'portBindings'];
const containerKeys = [...portKeys, 'imageName', 'imageTag', 'shell.env', 'name', 'location', 'locations', 'initialSize', 'dockerfileUrl'];
const nativeKeys = Object.keys(serviceSpec.shape);
const skipped = ['type', 'serviceType', 'brooklyn.config', 'brooklyn.parameters', ...cosmeticKeys];

/** `docker.container.openPort` → `docker.container.openPorts`: a typo in the last segment of a long key. */
function misspeltLongKey(key: string): string | undefined {
  const prefix = key.slice(0, key.lastIndexOf('.') + 1);
  const siblings = Object.keys(longContainerKeys).filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('.'));
  const guess = closest(key.slice(prefix.length), siblings.map((k) => k.slice(prefix.length)));
  return guess === undefined ? undefined : `${prefix}${guess}`;
}

export interface Layer {
  entry: PlainMap;
  from: FieldPath;
}

interface Field {
  key: string;
  value: unknown;
  origin: FieldPath;
  underConfig: boolean;
  layer: number;
  conflict: boolean;
}

function fieldsOf(layers: Layer[]): Field[] {
  const all = layers.flatMap(({ entry, from }, layer): Field[] => {
    const inConfig = isPlainMap(entry['brooklyn.config']) ? entry['brooklyn.config'] : {};
    const at = (k: string, v: unknown, origin: FieldPath, underConfig: boolean): Field => ({
      key: longContainerKeys[k] ?? k, value: v, origin, underConfig, layer,
      conflict: underConfig && k in entry && k !== 'env',
    });
    return [
      ...Object.entries(entry).map(([k, v]) => at(k, v, [...from, k], false)),
      ...Object.entries(inConfig).map(([k, v]) => at(k, v, [...from, 'brooklyn.config', k], true)),
    ];
  });
  const last = new Map<string, number>();
  for (const f of all) last.set(f.key, Math.max(f.layer, last.get(f.key) ?? 0));
  return all.filter((f) => f.key === 'env' || f.layer === last.get(f.key));
}

export function normalizeClockerService(layers: Layer[], image: string | undefined, to: FieldPath, reporter: Reporter): PlainMap {
  const positions = reporter.positions;
  const site = layers[layers.length - 1] as Layer;
  positions.recordMove(to, site.from);
  const out: PlainMap = {};
  const append = appender(out, to, positions);
  const config: PlainMap = {};
  const ports: { value: unknown; origin: FieldPath }[] = [];
  let imageName: unknown;
  let imageTag: unknown;
  for (const { key, value, origin, underConfig, conflict } of fieldsOf(layers)) {
    if (skipped.includes(key)) continue;
    if (conflict) {
      reporter.error('brooklyn.conflict', origin, `"${key}" is set both at the service root and under brooklyn.config`);
    } else if (brooklynClassListKeys.includes(key)) rejectClassList(key, value, origin.slice(0, -1), reporter);
    else if (portKeys.includes(key)) containerPorts(key, value, origin, (v, o) => ports.push({ value: v, origin: o }));
    else if (key === 'ports' && Array.isArray(value)) value.forEach((p, i) => ports.push({ value: p, origin: [...origin, i] }));
    else if (key === 'volumes') containerVolumes(value, origin, append('volumes'));
    else if (key === 'links') containerLinks(value, origin, (alias, target, at) => move(out, ['links', alias], target, at));
    else if (key === 'env' || key === 'shell.env') {
      if (!isPlainMap(value)) out['env'] = value;
      else for (const [k, v] of Object.entries(value)) move(out, ['env', k], v, [...origin, k]);
    } else if (key === 'imageName') imageName = value;
    else if (key === 'imageTag') imageTag = value;
    else if (key === 'initialSize') move(out, ['count'], value, origin);
    else if (key === 'name') move(out, ['description'], value, origin);
    else if (key === 'location' || key === 'locations') reporter.warn('brooklyn.location', origin, `per-service "${key}" is ignored: every service runs on the blueprint's location`, 'key');
    else if (key.endsWith('.latch')) latch(value, origin);
    else if (dockerfileUrlKeys.includes(key)) {
      const build = dockerfileUrlBuild(value, origin, reporter);
      if (build) move(out, ['build'], build, origin);
    } else if (key.startsWith('docker.') && misspeltLongKey(key) !== undefined) {
      reporter.error('schema.unknownKey', origin, `unknown field "${key}" (did you mean "${misspeltLongKey(key) ?? ''}"?)`, 'key');
    } else if (key.startsWith('docker.')) reporter.warn('brooklyn.dockerKey', origin, `Clocker 1.x setting "${key}" has no equivalent here: ignored`, 'key');
    else if (!underConfig || nativeKeys.includes(key)) move(out, [key], value, origin);
    else if (closest(key, [...nativeKeys, ...containerKeys]) !== undefined) {
      reporter.error('schema.unknownKey', origin, `unknown field "${key}"${didYouMean(key, [...nativeKeys, ...containerKeys])}`, 'key');
    } else (config[key] = value), positions.recordMove([...to, 'config', key], origin);
  }
  mergePorts(ports).forEach((p) => append('ports')(p.value, p.origin));
  const defaults = Object.assign({}, ...layers.map((l) => parameterDefaults(l.entry['brooklyn.parameters']))) as PlainMap;
  const own = { ...defaults, ...(isPlainMap(out['config']) ? out['config'] : {}), ...config };
  if (Object.keys(own).length > 0) out['config'] = own;
  const named = typeof imageName === 'string' ? `${imageName}${imageTag !== undefined ? `:${String(imageTag)}` : ''}` : undefined;
  if (named !== undefined || image !== undefined) out['image'] = named ?? image;
  if (out['id'] === undefined) {
    const id = slug(typeof site.entry['name'] === 'string' ? site.entry['name'] : (String(out['image'] ?? '').split('/').pop() ?? '').split(':')[0] ?? '');
    out['id'] = id === '' ? 'service' : id;
    reporter.warn('brooklyn.id', site.from, `service has no "id": using "${String(out['id'])}"`);
  }
  return out;

  function move(target: PlainMap, keys: [string] | [string, string], value: unknown, origin: FieldPath): void {
    const [key, inner] = keys;
    if (inner === undefined) target[key] = value;
    else target[key] = { ...(isPlainMap(target[key]) ? target[key] : {}), [inner]: value };
    positions.recordMove([...to, ...keys], origin);
  }

  /** `launch.latch: $brooklyn:component("db").attributeWhenReady("service.isUp")`: start after db. */
  function latch(value: unknown, origin: FieldPath): void {
    const parsed = typeof value === 'string' ? parseValue(value) : undefined;
    const services = parsed?.ok !== true ? [] : 'entity' in parsed ? [parsed.entity] : parsed.parts.flatMap((p) => (p.kind === 'attribute' ? [p.service] : []));
    if (services.length === 0) reporter.warn('brooklyn.latch', origin, `"${origin[origin.length - 1] ?? ''}" names no service to wait for: ignored`, 'key');
    for (const service of services) append('dependsOn')(service, origin);
  }
}
