// Clocker 1.x container keys → native service fields. Each produced list element records
// where it was written, so later errors point at the original `openPorts` entry.
import type { FieldPath } from '../fieldPath';
import type { SourcePositions } from '../sourcePositions';
import { isPlainMap } from './plainData';

type Emit = (value: unknown, origin: FieldPath) => void;

/** Clocker 1.x's full config key names (DockerAttributes) → the short keys handled here. */
export const longContainerKeys: Record<string, string> = {
  'docker.container.openPorts': 'openPorts',
  'docker.container.directPorts': 'directPorts',
  'docker.container.portBindings': 'portBindings',
  'docker.container.environment': 'env',
  'docker.container.links': 'links',
  'docker.image.name': 'imageName',
  'docker.image.tag': 'imageTag',
  'docker.image.commands': 'command',
  'docker.image.entrypoint': 'entrypoint',
  'docker.host.volumes': 'volumes',
};

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

type PortEntry = { value: unknown; origin: FieldPath };

/**
 * 1.x examples list a port under both `openPorts` and `directPorts` (open it, and publish it
 * on the same host port): one port, the published one. An entry on "any free port" (0) goes
 * when the same container port is published on a fixed one; exact repeats go too.
 */
export function mergePorts(entries: PortEntry[]): PortEntry[] {
  const fixed = (e: PortEntry): { containerPort: number; hostPort: number } | undefined =>
    isPlainMap(e.value) && typeof e.value['containerPort'] === 'number' && typeof e.value['hostPort'] === 'number'
      ? { containerPort: e.value['containerPort'], hostPort: e.value['hostPort'] }
      : undefined;
  const published = new Set(entries.flatMap((e) => { const p = fixed(e); return p && p.hostPort !== 0 ? [p.containerPort] : []; }));
  const seen = new Set<string>();
  return entries.filter((e) => {
    const p = fixed(e);
    if (p === undefined) return true;
    if (p.hostPort === 0 && published.has(p.containerPort)) return false;
    const key = `${p.containerPort}:${p.hostPort}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Links as a map alias → target, or as Docker's list ("db", "mysql:db": service, then alias),
 * or a list of `$brooklyn:component("id")` (the alias is the id).
 */
export function containerLinks(value: unknown, origin: FieldPath, emit: (alias: string, target: unknown, origin: FieldPath) => void): void {
  if (isPlainMap(value)) {
    for (const [alias, target] of Object.entries(value)) emit(alias, target, [...origin, alias]);
    return;
  }
  asList(value).forEach((item, i) => {
    const at = Array.isArray(value) ? [...origin, i] : origin;
    if (typeof item !== 'string') return emit(String(i), item, at);
    const dsl = /^\$brooklyn:(?:component|entity|sibling)\((?:"[^"]*"\s*,\s*)?"([^"]+)"\)$/.exec(item.trim());
    if (dsl) return emit(dsl[1] as string, item.trim(), at);
    const [service, alias] = item.split(':').map((s) => s.trim());
    emit(alias !== undefined && alias !== '' ? alias : (service ?? ''), service ?? '', at);
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
