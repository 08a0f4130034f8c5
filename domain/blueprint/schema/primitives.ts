// Small schemas shared by the blueprint's parts: names, argv, durations, sizes, string maps.
import { z } from 'zod';
import { byteSize, byteSizePattern, durationMs, durationPattern } from '../units';
import { splitShellWords } from '../shellWords';

/** Docker's rule for container and network names. */
export const dockerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Ids are joined with '.' into container names (`<app>.<service>.<member>`), so no '.' inside. */
export const idPattern = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

export const id = z
  .string()
  .max(63, 'must be at most 63 characters')
  .superRefine((text, ctx) => {
    if (idPattern.test(text)) return;
    const message = text.includes('.')
      ? "must not contain '.': ids are joined with '.' in container names"
      : "must start with a letter or digit, then letters, digits, '_' or '-'";
    ctx.addIssue({ code: 'custom', message, input: text });
  });

/** The application's name is joined into container names and workflow ids like an id. */
export const appName = id;

/** Scalars people write unquoted (`PORT: 80`, `DEBUG: true`) are meant as text. */
export const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const stringMap = z.record(z.string(), scalarText);

/** argv as a list, or a string split like a shell would (quotes respected, no expansion). */
export const argv = z.union([z.array(scalarText), z.string().transform(splitShellWords)]);

export const port = z.number().int().min(1).max(65535);

export const duration = z.union([
  z.number().nonnegative().transform((seconds) => Math.round(seconds * 1000)),
  z.string().regex(durationPattern, 'expected a duration like "10s", "1m30s" or "500ms"').transform(durationMs),
]);

export const bytes = z.union([
  z.number().int().positive(),
  z.string().regex(byteSizePattern, 'expected a size like "512m" or "2g"').transform(byteSize),
]);

export function listOf<T extends z.ZodType>(item: T) {
  return z.union([item.transform((one) => [one]), z.array(item)]);
}
