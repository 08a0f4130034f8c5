// Compose `volumes` of a service → native long-form volumes.
//
//   "db-data:/var/lib/postgresql/data"   a named volume (must be declared at the top level)
//   "/srv/conf:/conf:ro"                 a bind of an absolute host path
//   "./healthchecks:/healthchecks", ".:/code", "../shared:/shared"
//                                        a bind of a path relative to the Compose file: joined to
//                                        the file's folder and marked `fromFile` (it exists on the
//                                        machine that read the file, so only there)
//   "/cache"                             an anonymous volume
//   { type: bind|volume, source, target, read_only, bind: { create_host_path }, volume: { nocopy: false } }
import type { FieldPath } from '../fieldPath';
import { isPlainMap, type PlainMap } from '../normalize/plainData';
import { joinHostPath } from './hostPathJoin';
import { describe, type Notes } from './notes';

export interface VolumeContext {
  /** The Compose file's folder (absolute), when known. */
  folder: string | undefined;
  /** Names declared under the top-level `volumes`. */
  declared: ReadonlySet<string>;
}

export interface ComposedVolume {
  native: PlainMap;
  /** A bind whose source was relative to the Compose file. */
  fromFile: boolean;
}

/** Docker for Mac's consistency hints: no effect on Linux hosts. */
const macHints = ['cached', 'delegated', 'consistent'];

function bindSource(source: string, path: FieldPath, ctx: VolumeContext, notes: Notes): { source: string; fromFile: boolean } | undefined {
  if (source.startsWith('~')) {
    notes.refuse(path, `volumes: "${source}": "~" (the home folder of whoever runs the tool) is not supported: write the path`);
    return undefined;
  }
  if (source.startsWith('/')) return { source, fromFile: false };
  if (ctx.folder === undefined) {
    notes.refuse(path, `volumes: the relative host path "${source}" needs the Compose file's folder, which is unknown here`);
    return undefined;
  }
  const joined = joinHostPath(ctx.folder, source);
  if (joined === undefined) notes.refuse(path, `volumes: the relative host path "${source}" climbs above "/" from ${ctx.folder}`);
  return joined === undefined ? undefined : { source: joined, fromFile: true };
}

function named(source: string, path: FieldPath, ctx: VolumeContext, notes: Notes): boolean {
  if (ctx.declared.has(source)) return true;
  notes.refuse(path, `volumes: the named volume "${source}" is not declared under the top-level "volumes"`);
  return false;
}

function shortVolume(text: string, path: FieldPath, ctx: VolumeContext, notes: Notes): ComposedVolume | undefined {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    notes.refuse(path, `volumes: expected a volume like "name:/data", "./folder:/data:ro" or "/data", got "${text}"`);
    return undefined;
  }
  if (parts.length === 1) return { native: { type: 'anonymous', target: text }, fromFile: false };
  const [source = '', target = '', mode = 'rw'] = parts;
  let readOnly = false;
  for (const option of mode.split(',')) {
    if (option === 'ro') readOnly = true;
    else if (option !== 'rw' && !macHints.includes(option)) {
      notes.refuse(path, `volumes: the mode "${option}" is not supported (ro or rw)`);
      return undefined;
    }
  }
  if (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) {
    const bind = bindSource(source, path, ctx, notes);
    return bind && { native: { type: 'bind', source: bind.source, target, readOnly }, fromFile: bind.fromFile };
  }
  return named(source, path, ctx, notes) ? { native: { type: 'volume', source, target, readOnly }, fromFile: false } : undefined;
}

const longKeys = ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume'];

/** The sub-options a bind or volume mount may carry, and whether each value is honoured. */
function checkSubOptions(value: PlainMap, path: FieldPath, notes: Notes): void {
  const bind = value['bind'];
  if (isPlainMap(bind)) {
    for (const [key, v] of Object.entries(bind)) {
      // Docker refuses to start a member whose bind source is missing, so an absent folder is an error at run time either way.
      if (key !== 'create_host_path') notes.refuse([...path, 'bind', key], `volumes.bind.${key} is not supported`, 'key');
      else if (typeof v !== 'boolean') notes.refuse([...path, 'bind', key], `volumes.bind.create_host_path: expected true or false, got ${describe(v)}`);
    }
  }
  const volume = value['volume'];
  if (isPlainMap(volume)) {
    for (const [key, v] of Object.entries(volume)) {
      if (key !== 'nocopy' || v !== false) notes.refuse([...path, 'volume', key], `volumes.volume.${key}${key === 'nocopy' ? ': true' : ''} is not supported`, 'key');
    }
  }
}

function longVolume(value: PlainMap, path: FieldPath, ctx: VolumeContext, notes: Notes): ComposedVolume | undefined {
  for (const key of Object.keys(value)) if (!longKeys.includes(key)) notes.refuse([...path, key], `volumes.${key} is not supported`, 'key');
  checkSubOptions(value, path, notes);
  const { type, source, target } = value;
  const readOnly = value['read_only'] ?? false;
  if (type !== undefined && type !== 'bind' && type !== 'volume') {
    notes.refuse([...path, 'type'], `volumes.type ${describe(type)} is not supported (bind or volume)`);
    return undefined;
  }
  if (typeof target !== 'string') {
    notes.refuse(path, `volumes.target (the path in the container) is required`);
    return undefined;
  }
  if (source !== undefined && typeof source !== 'string') {
    notes.refuse([...path, 'source'], `volumes.source: expected a path or a volume name, got ${describe(source)}`);
    return undefined;
  }
  if (source === undefined || source === '') {
    if (type === 'bind') notes.refuse(path, 'volumes: a bind needs a source (the host path)');
    return type === 'bind' ? undefined : { native: { type: 'anonymous', target, readOnly }, fromFile: false };
  }
  if (type === 'bind' || (type === undefined && (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')))) {
    const bind = bindSource(source, [...path, 'source'], ctx, notes);
    return bind && { native: { type: 'bind', source: bind.source, target, readOnly }, fromFile: bind.fromFile };
  }
  return named(source, [...path, 'source'], ctx, notes) ? { native: { type: 'volume', source, target, readOnly }, fromFile: false } : undefined;
}

export function composeVolume(value: unknown, path: FieldPath, ctx: VolumeContext, notes: Notes): ComposedVolume | undefined {
  if (typeof value === 'string') return shortVolume(value, path, ctx, notes);
  if (isPlainMap(value)) return longVolume(value, path, ctx, notes);
  notes.refuse(path, `volumes: expected a volume like "name:/data" or a map, got ${describe(value)}`);
  return undefined;
}
