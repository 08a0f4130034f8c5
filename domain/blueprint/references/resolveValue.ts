// Resolving a template against the attributes services have published. Pure, so a workflow
// can call it; secrets stay as parts unless the caller (an activity) passes their values.
import type { Template, TemplatePart } from '../model';

/** service id → attribute name → value, as published once each service is up. */
export type PublishedAttributes = Record<string, Record<string, string> | undefined>;

export type Resolved = { ok: true; text: string } | { ok: false; missing: string[] };

export function partText(part: TemplatePart): string {
  if (part.kind === 'text') return part.text.replaceAll('${', () => '$${');
  if (part.kind === 'secret') return `\${secret:${part.name}}`;
  return `\${${part.service}.${part.attribute}}`;
}

/** The native syntax for a template: what `clocker validate` and summaries print. */
export function templateText(value: Template): string {
  return value.parts.map(partText).join('');
}

/** The text of a template once every attribute (and secret, if given) is known. */
export function resolveValue(value: Template, attributes: PublishedAttributes, secrets: Record<string, string> = {}): Resolved {
  let text = '';
  const missing: string[] = [];
  for (const part of value.parts) {
    const found = part.kind === 'text' ? part.text : part.kind === 'secret' ? secrets[part.name] : attributes[part.service]?.[part.attribute];
    if (found === undefined) missing.push(partText(part).slice(2, -1));
    else text += found;
  }
  return missing.length === 0 ? { ok: true, text } : { ok: false, missing };
}

/** Substitutes the attributes known so far and keeps secrets as parts: safe to hand to an activity. */
export function bindAttributes(value: Template, attributes: PublishedAttributes): Template {
  const parts: TemplatePart[] = [];
  for (const part of value.parts) {
    const found = part.kind === 'attribute' ? attributes[part.service]?.[part.attribute] : undefined;
    const next: TemplatePart = found === undefined ? part : { kind: 'text', text: found };
    const last = parts[parts.length - 1];
    if (next.kind === 'text' && last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + next.text };
    else parts.push(next);
  }
  return { parts };
}

/** The services whose attributes a template waits for. */
export function referencedServices(value: Template): string[] {
  return [...new Set(value.parts.flatMap((p) => (p.kind === 'attribute' ? [p.service] : [])))];
}

/** The secrets a set of templates reads, sorted, once each (names only: values never leave the activities). */
export function referencedSecrets(values: Iterable<Template>): string[] {
  const names = new Set<string>();
  for (const value of values) for (const p of value.parts) if (p.kind === 'secret') names.add(p.name);
  return [...names].sort();
}
