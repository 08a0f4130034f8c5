// A short, stable fingerprint of what a service's members are made from (its spec without the
// size): messages name the spec they were bound from without carrying it whole.
import type { ServiceSpec } from '../blueprint/model';

export function specFingerprint(spec: ServiceSpec): string {
  const { count: _count, size: _size, ...made } = spec;
  return fnv1a(stableJson(made));
}

/** JSON with object keys sorted, so equal specs give equal text whatever built them. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 64-bit FNV-1a as two 32-bit halves (no crypto in workflow code; collisions do not matter here, only equality). */
function fnv1a(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
