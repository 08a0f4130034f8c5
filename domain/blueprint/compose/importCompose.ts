// A Docker Compose file → a blueprint, so a Compose app can run across many hosts. The
// produced native data goes through the same schema and checks as any blueprint, with
// positions pointing into the Compose file.
import { validateNormalized, type LoadOptions, type LoadResult } from '../load';
import type { Blueprint } from '../model';
import { isPlainMap, slug, type PlainMap } from '../normalize/plainData';
import { parseYaml } from '../parseYaml';
import { Reporter } from '../reporter';
import { refusedTopKeys } from './composeKeys';
import { composeService, type ComposedService, type ServiceContext } from './composeService';
import { folderOf } from './hostPathJoin';
import { withoutInterpolation } from './interpolation';
import { withMergeKeys } from './mergeKeys';
import { describe, type Notes } from './notes';
import { howToActivate, isActive, serviceProfiles } from './profiles';

const networkDrivers = ['bridge', 'overlay', 'routed', 'weave', 'calico'];

/** The application name: `name:` in the file, else the file's folder (what Compose does), else the file's name. */
function appName(root: PlainMap, file: string): string {
  if (typeof root['name'] === 'string') return root['name'];
  const parts = file.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const base = parts[parts.length - 1] ?? 'app';
  const folder = parts[parts.length - 2];
  return slug(/^(docker-)?compose\.ya?ml$/.test(base) && folder !== undefined ? folder : base.replace(/\.ya?ml$/, '')) || 'app';
}

function composeNetwork(id: string, spec: unknown, notes: Notes): PlainMap {
  const out: PlainMap = { id };
  if (!isPlainMap(spec)) return out;
  const at = ['networks', id];
  for (const [key, value] of Object.entries(spec)) {
    if (key.startsWith('x-')) continue;
    if (key === 'driver') {
      if (networkDrivers.includes(String(value))) out['driver'] = value;
      else notes.refuse([...at, key], `networks.driver ${describe(value)} is not supported (${networkDrivers.join(', ')})`);
    } else if (key === 'external') {
      if (value === true) out['shared'] = true;
      else if (value !== false) notes.refuse([...at, key], `networks.external: expected true or false, got ${describe(value)}`);
    } else if (key === 'ipam' && isPlainMap(value)) {
      const [first, ...rest] = Array.isArray(value['config']) ? value['config'] : [];
      if (isPlainMap(first)) {
        Object.assign(out, first['subnet'] !== undefined && { cidr: first['subnet'] }, first['gateway'] !== undefined && { gateway: first['gateway'] });
        for (const k of Object.keys(first)) if (k !== 'subnet' && k !== 'gateway') notes.refuse([...at, key, 'config', 0, k], `networks.ipam.config.${k} is not supported`, 'key');
      }
      if (rest.length > 0) notes.refuse([...at, key, 'config', 1], 'networks.ipam.config: one subnet per network is supported');
      for (const k of Object.keys(value)) {
        if (k === 'driver' && value[k] === 'default') continue;
        if (k !== 'config') notes.refuse([...at, key, k], `networks.ipam.${k} is not supported`, 'key');
      }
    } else if (key === 'driver_opts' && isPlainMap(value)) {
      // Docker turns IPsec on when the option is present, whatever its value ("" in most files).
      for (const k of Object.keys(value)) {
        if (k === 'encrypted') out['encrypted'] = true;
        else notes.refuse([...at, key, k], `networks.driver_opts.${k} is not supported (only encrypted, on an overlay network)`, 'key');
      }
    } else if (key === 'labels') out['labels'] = value;
    else if (key === 'attachable') notes.warn([...at, key], 'networks.attachable is ignored: it lets containers outside Swarm services join, it does not change what runs');
    else notes.refuse([...at, key], `networks.${key} is not supported`, 'key');
  }
  return out;
}

/** Top-level named volumes: Clocker creates each as a local volume of the application. */
function declaredVolumes(value: unknown, notes: Notes): Set<string> {
  const names = new Set<string>();
  if (!isPlainMap(value)) return names;
  for (const [name, spec] of Object.entries(value)) {
    names.add(name);
    if (!isPlainMap(spec)) continue;
    for (const [key, v] of Object.entries(spec)) {
      const at = ['volumes', name, key];
      if (key === 'labels' || key.startsWith('x-') || (key === 'driver' && v === 'local')) continue;
      if (key === 'external') notes.refuse(at, `volumes.external is not supported: Clocker creates the application's own volume "${name}"`, 'key');
      else notes.refuse(at, `volumes.${key} is not supported: Clocker creates a local volume`, 'key');
    }
  }
  return names;
}

/**
 * Services none of whose profiles is active → their profiles; each is reported, naming the
 * profile that would deploy it.
 */
function droppedServices(services: [string, unknown][], active: readonly string[], notes: Notes): Map<string, string[]> {
  const dropped = new Map<string, string[]>();
  for (const [name, spec] of services) {
    const profiles = serviceProfiles(spec);
    if (isActive(profiles, active)) continue;
    dropped.set(name, profiles);
    notes.warn(['services', name], `"${name}" is not deployed: none of its profiles (${profiles.join(', ')}) is active (${howToActivate(profiles)} deploys it)`);
  }
  return dropped;
}

export function importCompose(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: parsed.warnings };
  const reporter = new Reporter(file, parsed.positions);
  const notes: Notes = {
    warn: (path, message) => reporter.warn('compose.ignored', path, message, 'key'),
    refuse: (path, message, at = 'value') => reporter.error('compose.unsupported', path, message, at),
  };
  if (!isPlainMap(parsed.data)) reporter.error('compose.shape', [], 'a Compose file is a map with "services"');
  const root = isPlainMap(parsed.data) ? (withoutInterpolation(withMergeKeys(parsed.data), [], notes) as PlainMap) : {};
  const data: PlainMap = { name: appName(root, file) };
  const services = isPlainMap(root['services']) ? Object.entries(root['services']) : [];
  if (services.length === 0) reporter.error('compose.shape', ['services'], 'a Compose file needs a "services" map');
  const dropped = droppedServices(services, options.profiles ?? [], notes);
  const ctx: ServiceContext = {
    notes,
    positions: parsed.positions,
    volumes: { folder: options.folder ?? folderOf(file), declared: declaredVolumes(root['volumes'], notes) },
    dropped,
  };
  const composed = services.filter(([name]) => !dropped.has(name)).map(([name, spec], i) => composeService(name, spec, ctx, ['services', i]));
  data['services'] = composed.map((c) => c.native);
  const networks = isPlainMap(root['networks']) ? Object.entries(root['networks']) : [];
  data['networks'] = networks.map(([id, spec]) => composeNetwork(id, spec, notes));
  for (const key of Object.keys(root)) {
    if (key === 'version') notes.warn([key], 'version is obsolete: ignored');
    else if (!['name', 'services', 'networks', 'volumes'].includes(key) && !key.startsWith('x-')) {
      notes.refuse([key], `"${key}" is not supported${refusedTopKeys[key] !== undefined ? `: ${refusedTopKeys[key]}` : ''}`, 'key');
    }
  }
  const blueprint = validateNormalized(data, 'compose', reporter);
  const warnings = [...parsed.warnings, ...reporter.warnings];
  if (blueprint === undefined) return { ok: false, errors: reporter.errors, warnings };
  markFromFile(blueprint, composed);
  return { ok: true, blueprint, warnings };
}

/** Binds written relative to the file keep that fact (a preflight refuses them where members may land on other hosts). */
function markFromFile(blueprint: Blueprint, composed: ComposedService[]): void {
  for (const c of composed) {
    const service = blueprint.services.find((s) => s.id === c.native['id']);
    for (const j of c.fromFile) {
      const volume = service?.volumes[j];
      if (volume?.type === 'bind') volume.fromFile = true;
    }
  }
}
