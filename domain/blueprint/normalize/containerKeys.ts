// Clocker 1.x container keys → native service fields. Each produced list element records
// where it was written, so later errors point at the original `openPorts` entry.
import type { FieldPath } from '../fieldPath';
import type { SourcePositions } from '../sourcePositions';
import { isPlainMap } from './plainData';

type Emit = (value: unknown, origin: FieldPath) => void;

function asList(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return Array.isArray(value) ? value : [value];
}

function portNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** `openPorts` (any free host port), `directPorts` (same port on the host), `portBindings` (host → container). */
export function containerPorts(key: string, value: unknown, origin: FieldPath, emit: Emit): void {
  if (key === 'portBindings') {
    if (!isPlainMap(value)) return emit(value, origin);
    for (const [host, container] of Object.entries(value)) {
      const [h, c] = [portNumber(host), portNumber(container)];
      emit(h !== undefined && c !== undefined ? { containerPort: c, hostPort: h } : `${host}:${String(container)}`, [...origin, host]);
    }
    return;
  }
  const list = asList(value);
  list.forEach((item, i) => {
    const p = portNumber(item);
    const at = Array.isArray(value) ? [...origin, i] : origin;
    emit(p === undefined ? item : { containerPort: p, hostPort: key === 'directPorts' ? p : 0 }, at);
  });
}

/** Volumes as a list of "host:container" strings, or a map host → container. */
export function containerVolumes(value: unknown, origin: FieldPath, emit: Emit): void {
  if (isPlainMap(value)) {
    for (const [host, container] of Object.entries(value)) emit(`${host}:${String(container)}`, [...origin, host]);
  } else asList(value).forEach((item, i) => emit(item, Array.isArray(value) ? [...origin, i] : origin));
}

/** Appends to a list field of `out`, recording each element's origin. */
export function appender(out: Record<string, unknown>, to: FieldPath, positions: SourcePositions) {
  return (field: string): Emit =>
    (value, origin) => {
      const list = Array.isArray(out[field]) ? (out[field] as unknown[]) : [];
      positions.recordMove([...to, field, list.length], origin);
      out[field] = [...list, value];
    };
}
