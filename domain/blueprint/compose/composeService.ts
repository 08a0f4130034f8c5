// One Compose service → a native service entry. Every key is either translated or warned
// about, by name; none is dropped silently.
import type { FieldPath } from '../fieldPath';
import { isPlainMap, isScalar, type PlainMap } from '../normalize/plainData';
import type { SourcePositions } from '../sourcePositions';
import { composeConstraints, composeHealthcheck, composePort, composeVolume, type Warn } from './composeFields';

const restartPolicies = ['always', 'unless-stopped', 'on-failure'];

function keyValueList(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return Object.fromEntries(value.map((e) => String(e)).map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null])));
}

export function composeService(name: string, spec: unknown, positions: SourcePositions, warn: Warn, to: FieldPath): PlainMap {
  const from = ['services', name];
  positions.recordMove(to, from);
  const out: PlainMap = { id: name };
  if (!isPlainMap(spec)) return out;
  const field = (key: string, value: unknown, origin: string): void => {
    out[key] = value;
    positions.recordMove([...to, key], [...from, origin]);
  };
  const list = (key: string, origin: string, values: unknown, convert: (v: unknown, p: FieldPath) => unknown): void => {
    const kept: unknown[] = [];
    (Array.isArray(values) ? values : []).forEach((v, i) => {
      const converted = convert(v, [...from, origin, i]);
      if (converted === undefined) return;
      positions.recordMove([...to, key, kept.length], [...from, origin, i]);
      kept.push(converted);
    });
    field(key, kept, origin);
  };
  for (const [key, value] of Object.entries(spec)) {
    const at = [...from, key];
    switch (key) {
      case 'image': case 'command': case 'entrypoint': case 'labels':
        field(key, key === 'labels' ? keyValueList(value) : value, key);
        break;
      case 'build':
        field('build', isPlainMap(value) ? { context: value['context'], ...(value['dockerfile'] !== undefined && { dockerfile: value['dockerfile'] }) } : value, key);
        if (isPlainMap(value)) for (const k of Object.keys(value)) if (k !== 'context' && k !== 'dockerfile') warn([...at, k], `build.${k} is not supported: ignored`);
        break;
      case 'environment': {
        const env = keyValueList(value);
        const kept: PlainMap = {};
        for (const [k, v] of Object.entries(isPlainMap(env) ? env : {})) {
          if (v === null || v === undefined) warn([...at, k], `environment.${k} has no value (taken from the shell in Compose): ignored`);
          else if (typeof v === 'string' && /\$\{?[A-Za-z_]/.test(v.replaceAll('$$', ''))) {
            warn([...at, k], `environment.${k} uses Compose variable interpolation, which is not honoured: kept literally`);
            kept[k] = v.replaceAll('${', () => '$${');
          } else kept[k] = typeof v === 'string' ? v.replaceAll('${', () => '$${') : v;
          positions.recordMove([...to, 'env', k], [...at, k]);
        }
        field('env', kept, key);
        break;
      }
      case 'ports': list('ports', key, value, (v, p) => composePort(v, p, warn)); break;
      case 'volumes': list('volumes', key, value, (v, p) => composeVolume(v, p, warn)); break;
      case 'networks':
        if (isPlainMap(value)) {
          field('networks', Object.entries(value).map(([network, opts]) => {
            const o = isPlainMap(opts) ? opts : {};
            return { network, ...(o['aliases'] !== undefined && { aliases: o['aliases'] }), ...(o['ipv4_address'] !== undefined && { ipv4Address: o['ipv4_address'] }) };
          }), key);
        } else field('networks', value, key);
        break;
      case 'depends_on':
        if (isPlainMap(value)) {
          for (const [dep, opts] of Object.entries(value)) {
            const condition = isPlainMap(opts) ? opts['condition'] : undefined;
            if (condition === 'service_completed_successfully') warn([...at, dep, 'condition'], 'depends_on.condition "service_completed_successfully" is not supported: waits for the service to be up');
          }
          field('dependsOn', Object.keys(value), key);
        } else field('dependsOn', value, key);
        break;
      case 'healthcheck': {
        const health = composeHealthcheck(value, at, warn);
        if (health !== undefined) field('health', health, key);
        break;
      }
      case 'restart':
        if (restartPolicies.includes(String(value))) field('policies', { restarter: {} }, key);
        else if (value !== 'no') warn(at, `restart "${isScalar(value) ? String(value) : '…'}" is not supported: ignored`);
        break;
      case 'deploy': composeDeploy(value, at, to, out, positions, warn); break;
      default:
        warn(at, `"${key}" is not supported: ignored`);
    }
  }
  return out;
}

function composeDeploy(value: unknown, from: FieldPath, to: FieldPath, out: PlainMap, positions: SourcePositions, warn: Warn): void {
  if (!isPlainMap(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'replicas') (out['count'] = v), positions.recordMove([...to, 'count'], [...from, key]);
    else if (key === 'resources' && isPlainMap(v)) {
      const limits = isPlainMap(v['limits']) ? v['limits'] : isPlainMap(v['reservations']) ? v['reservations'] : {};
      const cpus = typeof limits['cpus'] === 'string' ? Number(limits['cpus']) : limits['cpus'];
      out['resources'] = { ...(cpus !== undefined && { cpus }), ...(limits['memory'] !== undefined && { memory: limits['memory'] }) };
      positions.recordMove([...to, 'resources'], [...from, key]);
      if (isPlainMap(v['limits']) && isPlainMap(v['reservations'])) warn([...from, key, 'reservations'], 'deploy.resources.reservations is not supported beside limits: limits are reserved');
    } else if (key === 'placement' && isPlainMap(v)) {
      out['placement'] = { constraints: { labels: composeConstraints(v['constraints'], [...from, key, 'constraints'], warn) } };
      for (const k of Object.keys(v)) if (k !== 'constraints') warn([...from, key, k], `deploy.placement.${k} is not supported: ignored`);
    } else if (key === 'update_config' && isPlainMap(v)) {
      // parallelism 0 means "all at once" in Swarm: one batch as large as any service gets.
      const parallelism = v['parallelism'];
      out['update'] = { ...(parallelism !== undefined && { batch: parallelism === 0 ? 1_000_000 : parallelism }), ...(v['order'] !== undefined && { order: v['order'] }) };
      positions.recordMove([...to, 'update'], [...from, key]);
      for (const k of Object.keys(v)) if (k !== 'parallelism' && k !== 'order') warn([...from, key, k], `deploy.update_config.${k} is not supported: ignored`);
    } else warn([...from, key], `deploy.${key} is not supported: ignored`);
  }
}
