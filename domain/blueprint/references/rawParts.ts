// What a value parses to before `config` keys are substituted: the model's template parts
// plus config reads (resolved statically at load time, so the model never holds them).
import type { TemplatePart } from '../model';

export type RawPart = TemplatePart | { kind: 'config'; service?: string; key: string };

export type ParsedValue =
  | { ok: true; parts: RawPart[] }
  /** A bare entity (`$brooklyn:component("db")`): meaningful only as a link target. */
  | { ok: true; entity: string }
  | { ok: false; message: string };

/** Joins neighbouring text parts, so a literal is always one part (or none for ""). */
export function mergeText<T extends RawPart>(parts: T[]): T[] {
  const out: T[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text } as T;
    else if (!(part.kind === 'text' && part.text === '')) out.push(part);
  }
  return out;
}
