// Volumes: "/host:/target[:ro]" (bind), "name:/target[:ro]" (named), "/target" (anonymous),
// or the long form. Host paths and names are checked later, with the other names.
import { z } from 'zod';
import type { VolumeSpec } from '../model';

function classify(source: string | undefined, target: string, readOnly: boolean): VolumeSpec {
  if (source === undefined || source === '') return { type: 'anonymous', target, readOnly };
  const looksLikePath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
  return { type: looksLikePath ? 'bind' : 'volume', source, target, readOnly };
}

const shortVolume = /^(?:([^:]+):)?([^:]+)(?::(ro|rw))?$/;

export const volumeSpec = z.union([
  z
    .string()
    .regex(shortVolume, 'expected a volume like "/data", "name:/data" or "/host/path:/data:ro"')
    .transform((text) => {
      const [, source, target, mode] = shortVolume.exec(text) ?? [];
      return classify(source, target ?? '', mode === 'ro');
    }),
  z
    .strictObject({
      type: z.enum(['bind', 'volume', 'anonymous']).optional(),
      source: z.string().optional(),
      target: z.string().min(1, 'must not be empty'),
      readOnly: z.boolean().default(false),
    })
    .transform((v): VolumeSpec => {
      const guessed = classify(v.source, v.target, v.readOnly);
      if (v.type === undefined || v.type === guessed.type) return guessed;
      return v.type === 'anonymous' ? { type: 'anonymous', target: v.target, readOnly: v.readOnly } : { type: v.type, source: v.source ?? '', target: v.target, readOnly: v.readOnly };
    }),
]);
