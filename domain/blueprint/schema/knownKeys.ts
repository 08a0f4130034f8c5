// The keys a schema accepts at a path: the candidates for "did you mean" on unknown keys.
import { z } from 'zod';
import type { FieldPath } from '../fieldPath';

type AnySchema = z.core.$ZodType;

/** Peels wrappers (optional, default, pipe/transform) down to the shape that reads input. */
function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return unwrap(def['innerType'] as AnySchema);
    case 'pipe':
      return unwrap(def['in'] as AnySchema);
    case 'union':
      return (def['options'] as AnySchema[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

function children(schema: AnySchema, key: string | number): AnySchema[] {
  return unwrap(schema).flatMap((s) => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object' && typeof key === 'string') {
      const child = (def['shape'] as Record<string, AnySchema>)[key];
      return child ? [child] : [];
    }
    if (def.type === 'array' && typeof key === 'number') return [def['element'] as AnySchema];
    if (def.type === 'record' && typeof key === 'string') return [def['valueType'] as AnySchema];
    return [];
  });
}

export function knownKeysAt(root: AnySchema, path: FieldPath): string[] {
  let current: AnySchema[] = [root];
  for (const key of path) current = current.flatMap((s) => children(s, key));
  const keys = new Set<string>();
  for (const s of current.flatMap(unwrap)) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') for (const k of Object.keys(def['shape'] as object)) keys.add(k);
  }
  return [...keys];
}
