// One Clocker 1.x / Brooklyn service entry → a native service entry. Keys may sit at the
// entry's root or under `brooklyn.config`; unknown `brooklyn.config` keys are config values
// (what `$brooklyn:config("key")` reads), unless they look like a misspelt container key.
import { didYouMean } from '../didYouMean';
import type { FieldPath } from '../fieldPath';
import type { Reporter } from '../reporter';
import { serviceSpec } from '../schema/service';
import { brooklynClassListKeys, rejectClassList } from './brooklynTypes';
import { appender, containerPorts, containerVolumes } from './containerKeys';
import { isPlainMap, slug, type PlainMap } from './plainData';

const portKeys = ['openPorts', 'directPorts', 'portBindings'];
const containerKeys = [...portKeys, 'imageName', 'imageTag', 'shell.env', 'name', 'location', 'locations', 'initialSize'];
const nativeKeys = Object.keys(serviceSpec.shape);

export function normalizeClockerService(entry: PlainMap, image: string | undefined, from: FieldPath, to: FieldPath, reporter: Reporter): PlainMap {
  const positions = reporter.positions;
  positions.recordMove(to, from);
  const out: PlainMap = {};
  const append = appender(out, to, positions);
  const config: PlainMap = {};
  const inConfig = isPlainMap(entry['brooklyn.config']) ? entry['brooklyn.config'] : {};
  const fields: [string, unknown, FieldPath, boolean][] = [
    ...Object.entries(entry).map(([k, v]): [string, unknown, FieldPath, boolean] => [k, v, [...from, k], false]),
    ...Object.entries(inConfig).map(([k, v]): [string, unknown, FieldPath, boolean] => [k, v, [...from, 'brooklyn.config', k], true]),
  ];
  let imageName: unknown;
  let imageTag: unknown;
  for (const [key, value, origin, underConfig] of fields) {
    if (key === 'type' || key === 'brooklyn.config') continue;
    if (underConfig && key in entry && key !== 'env') {
      reporter.error('brooklyn.conflict', origin, `"${key}" is set both at the service root and under brooklyn.config`);
    } else if (brooklynClassListKeys.includes(key)) rejectClassList(key, value, from, reporter);
    else if (portKeys.includes(key)) containerPorts(key, value, origin, append('ports'));
    else if (key === 'volumes') containerVolumes(value, origin, append('volumes'));
    else if (key === 'ports' && Array.isArray(value)) value.forEach((p, i) => append('ports')(p, [...origin, i]));
    else if (key === 'env' || key === 'shell.env') {
      if (!isPlainMap(value)) out['env'] = value;
      else for (const [k, v] of Object.entries(value)) (out['env'] = { ...(out['env'] as PlainMap), [k]: v }), positions.recordMove([...to, 'env', k], [...origin, k]);
    } else if (key === 'imageName') imageName = value;
    else if (key === 'imageTag') imageTag = value;
    else if (key === 'initialSize') move(out, 'count', value, origin);
    else if (key === 'name') move(out, 'description', value, origin);
    else if (key === 'location' || key === 'locations') reporter.warn('brooklyn.location', origin, `per-service "${key}" is ignored: every service runs on the blueprint's location`, 'key');
    else if (!underConfig || nativeKeys.includes(key)) move(out, key, value, origin);
    else if (didYouMean(key, [...nativeKeys, ...containerKeys]) !== '') {
      reporter.error('schema.unknownKey', origin, `unknown field "${key}"${didYouMean(key, [...nativeKeys, ...containerKeys])}`, 'key');
    } else (config[key] = value), positions.recordMove([...to, 'config', key], origin);
  }
  if (Object.keys(config).length > 0) out['config'] = { ...(isPlainMap(out['config']) ? out['config'] : {}), ...config };
  const named = typeof imageName === 'string' ? `${imageName}${imageTag !== undefined ? `:${String(imageTag)}` : ''}` : undefined;
  if (named !== undefined || image !== undefined) out['image'] = named ?? image;
  if (out['id'] === undefined) {
    const id = slug(typeof entry['name'] === 'string' ? entry['name'] : (String(out['image'] ?? '').split('/').pop() ?? '').split(':')[0] ?? '');
    out['id'] = id === '' ? 'service' : id;
    reporter.warn('brooklyn.id', from, `service has no "id": using "${String(out['id'])}"`);
  }

  function move(target: PlainMap, key: string, value: unknown, origin: FieldPath): void {
    target[key] = value;
    positions.recordMove([...to, key], origin);
  }
  return out;
}
