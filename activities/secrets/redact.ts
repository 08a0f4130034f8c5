// Container output that goes into an error (and so into workflow history and `clocker status`)
// is redacted of the secrets the container was given: a process that prints its environment
// must not publish them.
import { LABEL } from '../../domain/naming';

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const SHORTEST_SECRET = 4;

/** The values of the container's secret env entries, as its labels name them. */
export function secretValues(labels: Record<string, string> | undefined, env: string[] | undefined): string[] {
  const names = new Set((labels?.[LABEL.secretEnv] ?? '').split(',').filter((n) => n !== ''));
  return (env ?? []).flatMap((entry) => {
    const eq = entry.indexOf('=');
    return eq > 0 && names.has(entry.slice(0, eq)) ? [entry.slice(eq + 1)] : [];
  });
}

export function redact(text: string, secrets: string[]): string {
  // Longest first, so a secret that contains another is replaced whole.
  return [...secrets]
    .filter((s) => s.length >= SHORTEST_SECRET)
    .sort((a, b) => b.length - a.length)
    .reduce((out, s) => out.split(s).join('***'), text);
}
