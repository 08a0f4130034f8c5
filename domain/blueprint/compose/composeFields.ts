// Compose value forms → native ones: ports, volumes, healthcheck, placement constraints.
// Anything that cannot be honoured is reported by the caller's `warn`, naming the key.
import type { FieldPath } from '../fieldPath';
import { isPlainMap, isScalar, type PlainMap } from '../normalize/plainData';

export type Warn = (path: FieldPath, message: string) => void;

/** "8080:80", "127.0.0.1:8080:80/udp", 80, or { target, published, protocol }. */
export function composePort(value: unknown, path: FieldPath, warn: Warn): unknown {
  if (isPlainMap(value)) {
    const out: PlainMap = { containerPort: value['target'] };
    if (value['published'] !== undefined) out['hostPort'] = typeof value['published'] === 'string' ? Number(value['published']) : value['published'];
    if (value['protocol'] !== undefined) out['protocol'] = value['protocol'];
    for (const key of Object.keys(value)) if (!['target', 'published', 'protocol'].includes(key)) warn([...path, key], `ports.${key} is not supported: ignored`);
    return out;
  }
  if (typeof value !== 'string') return value;
  const parts = value.split(':');
  if (parts.length === 3) {
    warn(path, `ports: the host address "${parts[0] ?? ''}" is not supported: the port is published on every address`);
    return parts.slice(1).join(':');
  }
  return value;
}

/** "src:dst[:ro]" or the long form; relative host paths cannot follow containers to other hosts. */
export function composeVolume(value: unknown, path: FieldPath, warn: Warn): unknown {
  const source = isPlainMap(value) ? value['source'] : typeof value === 'string' ? value.split(':')[0] : undefined;
  const hasTarget = typeof value === 'string' ? value.includes(':') : true;
  if (typeof source === 'string' && hasTarget && (source.startsWith('.') || source.startsWith('~'))) {
    warn(path, `volumes: the relative host path "${source}" cannot be honoured on other hosts: volume ignored`);
    return undefined;
  }
  if (!isPlainMap(value)) return value;
  const out: PlainMap = { target: value['target'] };
  if (value['source'] !== undefined) out['source'] = value['source'];
  if (value['type'] === 'bind' || value['type'] === 'volume') out['type'] = value['type'];
  else if (value['type'] !== undefined) warn([...path, 'type'], `volumes.type "${String(value['type'])}" is not supported: treated by its source`);
  if (value['read_only'] !== undefined) out['readOnly'] = value['read_only'];
  for (const key of Object.keys(value)) if (!['type', 'source', 'target', 'read_only'].includes(key)) warn([...path, key], `volumes.${key} is not supported: ignored`);
  return out;
}

/** test: ["CMD", …] | ["CMD-SHELL", "…"] | "…", with interval, timeout, retries, start_period, start_interval. */
export function composeHealthcheck(value: unknown, path: FieldPath, warn: Warn): unknown {
  if (!isPlainMap(value) || value['disable'] === true) return undefined;
  const test = value['test'];
  let command: unknown = test;
  if (Array.isArray(test) && test[0] === 'NONE') return undefined;
  if (Array.isArray(test) && test[0] === 'CMD') command = test.slice(1);
  else if (Array.isArray(test) && test[0] === 'CMD-SHELL') command = ['sh', '-c', test.slice(1).join(' ')];
  else if (typeof test === 'string') command = ['sh', '-c', test];
  const out: PlainMap = { type: 'exec', command };
  const keys: Record<string, string> = { interval: 'interval', timeout: 'timeout', retries: 'retries', start_period: 'startPeriod', start_interval: 'startInterval' };
  for (const [key, v] of Object.entries(value)) {
    const native = keys[key];
    if (native !== undefined) out[native] = v;
    else if (key !== 'test' && key !== 'disable') warn([...path, key], `healthcheck.${key} is not supported: ignored`);
  }
  return out;
}

/** deploy.placement.constraints: `node.labels.K==V` becomes a required host label. */
export function composeConstraints(value: unknown, path: FieldPath, warn: Warn): Record<string, string> {
  const labels: Record<string, string> = {};
  (Array.isArray(value) ? value : []).forEach((c, i) => {
    const match = typeof c === 'string' ? /^node\.labels\.([^=!\s]+)\s*==\s*(.+)$/.exec(c.trim()) : null;
    if (match?.[1] !== undefined && match[2] !== undefined) labels[match[1]] = match[2];
    else warn([...path, i], `deploy.placement.constraints "${isScalar(c) ? String(c) : '…'}" is not supported (only node.labels.KEY==VALUE): ignored`);
  });
  return labels;
}
