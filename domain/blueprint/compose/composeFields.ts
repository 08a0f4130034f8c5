// Compose value forms → native ones: healthcheck, placement constraints, key=value lists.
import type { FieldPath } from '../fieldPath';
import { isPlainMap, isScalar, type PlainMap } from '../normalize/plainData';
import { describe, type Notes } from './notes';

/** `["A=1", "B"]` or `{ A: 1, B: null }` → entries; a name with no value maps to null. */
export function keyValues(value: unknown): [string, unknown][] {
  if (isPlainMap(value)) return Object.entries(value);
  if (!Array.isArray(value)) return [];
  return value.map((e) => String(e)).map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null]));
}

const healthKeys: Record<string, string> = { interval: 'interval', timeout: 'timeout', retries: 'retries', start_period: 'startPeriod', start_interval: 'startInterval' };

/** test: ["CMD", …] | ["CMD-SHELL", "…"] | "…", with interval, timeout, retries, start_period, start_interval. */
export function composeHealthcheck(value: unknown, path: FieldPath, notes: Notes): unknown {
  if (!isPlainMap(value) || value['disable'] === true) return undefined;
  const test = value['test'];
  let command: unknown = test;
  if (Array.isArray(test) && test[0] === 'NONE') return undefined;
  if (Array.isArray(test) && test[0] === 'CMD') command = test.slice(1);
  else if (Array.isArray(test) && test[0] === 'CMD-SHELL') command = ['sh', '-c', test.slice(1).join(' ')];
  else if (typeof test === 'string') command = ['sh', '-c', test];
  else if (test === undefined) {
    notes.refuse(path, 'healthcheck.test is required (Compose would keep the image\'s HEALTHCHECK, which Clocker does not read)');
    return undefined;
  } else {
    notes.refuse([...path, 'test'], `healthcheck.test: expected ["CMD", …], ["CMD-SHELL", "…"] or a command line, got ${describe(test)}`);
    return undefined;
  }
  const out: PlainMap = { type: 'exec', command };
  for (const [key, v] of Object.entries(value)) {
    const native = healthKeys[key];
    if (native !== undefined) out[native] = v;
    else if (key !== 'test' && key !== 'disable') notes.refuse([...path, key], `healthcheck.${key} is not supported`, 'key');
  }
  return out;
}

/** deploy.placement.constraints: `node.labels.K==V` becomes a required host label. */
export function composeConstraints(value: unknown, path: FieldPath, notes: Notes): Record<string, string> {
  const labels: Record<string, string> = {};
  (Array.isArray(value) ? value : []).forEach((c, i) => {
    const match = typeof c === 'string' ? /^node\.labels\.([^=!\s]+)\s*==\s*(.+)$/.exec(c.trim()) : null;
    if (match?.[1] !== undefined && match[2] !== undefined) labels[match[1]] = match[2];
    else notes.refuse([...path, i], `deploy.placement.constraints "${isScalar(c) ? String(c) : '…'}" is not supported (only node.labels.KEY==VALUE)`);
  });
  return labels;
}
