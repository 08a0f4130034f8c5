// `$brooklyn:config("key")` and `${config:key}` read configuration known when the file is
// loaded, so they are substituted here and the model holds only attributes and secrets.
// Lookup: the named (or own) service's `config`, then the blueprint's `config`.
import type { TemplatePart } from '../model';
import { parseValue } from './parseValue';
import { mergeText, type RawPart } from './rawParts';

export interface ConfigSource {
  service(id: string): Record<string, string> | undefined;
  blueprint: Record<string, string>;
}

type Substituted = { ok: true; parts: TemplatePart[]; keysUsed: string[] } | { ok: false; message: string };

export function substituteConfig(parts: RawPart[], own: string | undefined, config: ConfigSource, chain: string[] = []): Substituted {
  const out: TemplatePart[] = [];
  const keysUsed: string[] = [];
  for (const part of parts) {
    if (part.kind !== 'config') {
      out.push(part);
      continue;
    }
    const owner = part.service ?? own;
    const fromService = owner === undefined ? undefined : config.service(owner)?.[part.key];
    const text = fromService ?? config.blueprint[part.key];
    const label = fromService !== undefined ? `${owner ?? ''}.config.${part.key}` : `config.${part.key}`;
    if (text === undefined) {
      const where = part.service !== undefined ? `service "${part.service}" or the blueprint` : owner !== undefined ? 'this service or the blueprint' : 'the blueprint';
      return { ok: false, message: `config key "${part.key}" is not set in ${where}` };
    }
    if (chain.includes(label)) return { ok: false, message: `config keys refer to each other: ${[...chain, label].join(' → ')}` };
    const parsed = parseValue(text);
    if (!parsed.ok) return { ok: false, message: `in ${label}: ${parsed.message}` };
    if ('entity' in parsed) return { ok: false, message: `${label} is an entity, not a value: add .attributeWhenReady("…")` };
    const inner = substituteConfig(parsed.parts, fromService !== undefined ? owner : undefined, config, [...chain, label]);
    if (!inner.ok) return inner;
    out.push(...inner.parts);
    keysUsed.push(label, ...inner.keysUsed);
  }
  return { ok: true, parts: mergeText(out), keysUsed };
}
