// Turns value text (env values, DNS servers) into templates, reporting bad references at
// the field that holds them.
import type { FieldPath } from '../fieldPath';
import type { Template } from '../model';
import { parseValue } from '../references/parseValue';
import { substituteConfig, type ConfigSource } from '../references/substituteConfig';
import type { Reporter } from '../reporter';

export class ValueBuilder {
  /** Config keys some value read: unused ones from `brooklyn.config` are worth a warning. */
  readonly configKeysUsed = new Set<string>();

  constructor(
    private readonly config: ConfigSource,
    private readonly reporter: Reporter,
  ) {}

  template(text: string, own: string | undefined, path: FieldPath): Template | undefined {
    const parsed = parseValue(text);
    if (!parsed.ok) return void this.reporter.error('ref.syntax', path, parsed.message);
    if ('entity' in parsed) {
      return void this.reporter.error('ref.entity', path, `$brooklyn:entity("${parsed.entity}") is a service, not a value: add .attributeWhenReady("host.address") or another attribute`);
    }
    const substituted = substituteConfig(parsed.parts, own, this.config);
    if (!substituted.ok) return void this.reporter.error('ref.config', path, substituted.message);
    substituted.keysUsed.forEach((k) => this.configKeysUsed.add(k));
    return { parts: substituted.parts };
  }

  /** A link target: a plain service id, or `$brooklyn:component("id")` / `$brooklyn:entity("id")`. */
  linkTarget(text: string, path: FieldPath): string | undefined {
    const parsed = parseValue(text);
    if (parsed.ok && 'entity' in parsed) return parsed.entity;
    if (parsed.ok && parsed.parts.length === 1 && parsed.parts[0]?.kind === 'text') return parsed.parts[0].text;
    return void this.reporter.error('ref.link', path, `a link names a service: write its id or $brooklyn:component("id"), got ${JSON.stringify(text)}`);
  }
}

export function isLiteral(value: Template): boolean {
  return value.parts.every((p) => p.kind === 'text');
}

export function literalText(value: Template): string {
  return value.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}
