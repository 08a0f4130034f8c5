// Container output that goes into an error (and so into workflow history, `clocker status` and
// the worker's log) is redacted of the secrets the member was given: a process that prints its
// environment, or a URL with a password in it, must not publish them. Not only the exact value:
// the forms a program commonly prints a value in (URL-, base64-, hex-encoded, JSON-escaped,
// reversed), and any fragment of 8 characters or more of the value or of one of those forms
// (a value cut short, or split across lines).
import { SecretNotFoundError } from '../errors';
import type { SecretStore } from './secretStore';

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const SHORTEST_SECRET = 4;
/** A run this long of a secret (or of one of its forms) is redacted wherever it appears. */
export const SHORTEST_FRAGMENT = 8;

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

/** The value as programs commonly print it: as is, URL-encoded, base64 (plain and URL-safe, padded or not), hex, JSON-escaped, reversed. */
export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  const hex = bytes.toString('hex');
  const forms = [
    value,
    encodeURIComponent(value),
    encodeURI(value),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    hex,
    hex.toUpperCase(),
    JSON.stringify(value).slice(1, -1),
    [...value].reverse().join(''),
  ];
  return [...new Set(forms)];
}

/** Which characters of `text` lie in a run of `form` at least SHORTEST_FRAGMENT long (each window of that length that is one of the form's). */
function markFragments(text: string, form: string, marked: boolean[]): void {
  const grams = new Set<string>();
  for (let i = 0; i + SHORTEST_FRAGMENT <= form.length; i++) grams.add(form.slice(i, i + SHORTEST_FRAGMENT));
  for (let i = 0; i + SHORTEST_FRAGMENT <= text.length; i++) {
    if (!grams.has(text.slice(i, i + SHORTEST_FRAGMENT))) continue;
    for (let j = i; j < i + SHORTEST_FRAGMENT; j++) marked[j] = true;
  }
}

/** Marks each whole occurrence of a short form. */
function markWhole(text: string, form: string, marked: boolean[]): void {
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    for (let j = at; j < at + form.length; j++) marked[j] = true;
  }
}

export function redact(text: string, values: readonly string[]): string {
  const marked: boolean[] = new Array<boolean>(text.length).fill(false);
  let any = false;
  for (const value of values) {
    if (value.length < SHORTEST_SECRET) continue;
    for (const form of secretForms(value)) {
      if (form.length >= SHORTEST_FRAGMENT) markFragments(text, form, marked);
      else markWhole(text, form, marked);
      any = true;
    }
  }
  if (!any) return text;
  // Each marked run becomes one `***`.
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!marked[i]) out += text[i];
    else if (i === 0 || !marked[i - 1]) out += '***';
  }
  return out;
}
