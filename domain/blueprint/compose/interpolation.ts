// Compose replaces `$VAR` / `${VAR:-default}` anywhere in the file with the environment of
// whoever runs it (and a .env file), and `$$` with `$`. Clocker deploys the same file from
// any machine, so it does not interpolate: a variable is refused at its position, and `$$`
// becomes `$` as Compose would make it.
import type { FieldPath } from '../fieldPath';
import { isPlainMap } from '../normalize/plainData';
import type { Notes } from './notes';

const variable = /\$(\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*)/;

/** The data with `$$` unescaped; every string holding a variable is refused. `x-*` extension keys are left alone. */
export function withoutInterpolation(value: unknown, path: FieldPath, notes: Notes): unknown {
  if (typeof value === 'string') {
    const found = variable.exec(value.replaceAll('$$', ''));
    if (found) notes.refuse(path, `"${found[0]}" is Compose variable interpolation, which Clocker does not do (the value would depend on who deploys): write the value, or "$$" for a literal "$"`);
    return value.replaceAll('$$', '$');
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutInterpolation(v, [...path, i], notes));
  if (isPlainMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.startsWith('x-') ? v : withoutInterpolation(v, [...path, k], notes)]));
  }
  return value;
}
