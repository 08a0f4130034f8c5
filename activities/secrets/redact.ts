// Container output that goes into an error (and so into workflow history and `clocker status`)
// is redacted of the secrets the member was given: a process that prints its environment, or
// a URL with a password in it, must not publish them.
import { SecretNotFoundError } from '../errors';
import type { SecretStore } from './secretStore';

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const SHORTEST_SECRET = 4;

/** The values of the named secrets this worker can read (one it cannot read cannot leak from here either). */
export function secretValues(names: readonly string[], secrets: SecretStore): string[] {
  return names.flatMap((name) => {
    try {
      return [secrets(name)];
    } catch (err) {
      if (err instanceof SecretNotFoundError) return []; // the member was never given it by this store
      throw err;
    }
  });
}

export function redact(text: string, values: readonly string[]): string {
  // Longest first, so a secret that contains another is replaced whole.
  return [...values]
    .filter((s) => s.length >= SHORTEST_SECRET)
    .sort((a, b) => b.length - a.length)
    .reduce((out, s) => out.split(s).join('***'), text);
}
