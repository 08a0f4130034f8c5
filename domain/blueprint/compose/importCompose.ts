// A Docker Compose file → a blueprint, so a Compose app can run across many hosts. The
// produced native data goes through the same schema and checks as any blueprint, with
// positions pointing into the Compose file.
import type { FieldPath } from '../fieldPath';
import { validateNormalized, type LoadResult } from '../load';
import { isPlainMap, slug, type PlainMap } from '../normalize/plainData';
import { parseYaml } from '../parseYaml';
import { Reporter } from '../reporter';
import { composeService } from './composeService';

const networkDrivers = ['bridge', 'overlay', 'weave', 'calico'];

/** The application name: `name:` in the file, else the file's folder (what Compose does), else the file's name. */
function appName(root: PlainMap, file: string): string {
  if (typeof root['name'] === 'string') return root['name'];
  const parts = file.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const base = parts[parts.length - 1] ?? 'app';
  const folder = parts[parts.length - 2];
  return slug(/^(docker-)?compose\.ya?ml$/.test(base) && folder !== undefined ? folder : base.replace(/\.ya?ml$/, '')) || 'app';
}

function composeNetwork(id: string, spec: unknown, warn: (path: FieldPath, message: string) => void): PlainMap {
  const out: PlainMap = { id };
  if (!isPlainMap(spec)) return out;
  const at = ['networks', id];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'driver' && networkDrivers.includes(String(value))) out['driver'] = value;
    else if (key === 'external' && value === true) out['shared'] = true;
    else if (key === 'ipam' && isPlainMap(value)) {
      const [first, ...rest] = Array.isArray(value['config']) ? value['config'] : [];
      if (isPlainMap(first)) Object.assign(out, first['subnet'] !== undefined && { cidr: first['subnet'] }, first['gateway'] !== undefined && { gateway: first['gateway'] });
      if (rest.length > 0) warn([...at, key, 'config', 1], 'networks.ipam.config: only the first subnet is used');
      for (const k of Object.keys(value)) if (k !== 'config') warn([...at, key, k], `networks.ipam.${k} is not supported: ignored`);
    } else if (key === 'labels') out['labels'] = value;
    else warn([...at, key], `networks.${key} ${key === 'driver' ? `"${String(value)}" ` : ''}is not supported: ignored`);
  }
  return out;
}

export function importCompose(text: string, file: string): LoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: parsed.warnings };
  const reporter = new Reporter(file, parsed.positions);
  const warn = (path: FieldPath, message: string): void => reporter.warn('compose.unsupported', path, message, 'key');
  const root = isPlainMap(parsed.data) ? parsed.data : {};
  if (!isPlainMap(parsed.data)) reporter.error('compose.shape', [], 'a Compose file is a map with "services"');
  const data: PlainMap = { name: appName(root, file) };
  const services = isPlainMap(root['services']) ? Object.entries(root['services']) : [];
  if (services.length === 0) reporter.error('compose.shape', ['services'], 'a Compose file needs a "services" map');
  data['services'] = services.map(([name, spec], i) => composeService(name, spec, parsed.positions, warn, ['services', i]));
  const networks = isPlainMap(root['networks']) ? Object.entries(root['networks']) : [];
  data['networks'] = networks.map(([id, spec]) => composeNetwork(id, spec, warn));
  for (const key of Object.keys(root)) {
    if (key === 'version') warn([key], 'version is obsolete: ignored');
    else if (key === 'volumes' && isPlainMap(root[key])) {
      for (const [name, spec] of Object.entries(root[key] as PlainMap)) if (isPlainMap(spec) && Object.keys(spec).length > 0) warn([key, name], `driver and options are not supported: a local named volume is used`);
    } else if (!['name', 'services', 'networks', 'volumes'].includes(key)) warn([key], `"${key}" is not supported: ignored`);
  }
  const blueprint = validateNormalized(data, 'compose', reporter);
  const warnings = [...parsed.warnings, ...reporter.warnings];
  return blueprint === undefined ? { ok: false, errors: reporter.errors, warnings } : { ok: true, blueprint, warnings };
}
