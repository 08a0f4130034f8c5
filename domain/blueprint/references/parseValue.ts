// One entry point for any value text: Brooklyn DSL, a whole-value secret, or native text.
import { brooklynDslValue } from './brooklynDslValue';
import { dslPrefix, parseBrooklynDsl } from './brooklynDslParser';
import { parseNativeText, secretName } from './nativeReferences';
import type { ParsedValue } from './rawParts';

export const secretPrefix = '$secret:';

export function parseValue(text: string): ParsedValue {
  if (text.startsWith(dslPrefix)) {
    const parsed = parseBrooklynDsl(text);
    return parsed.ok ? brooklynDslValue(parsed.calls) : parsed;
  }
  if (text.startsWith(secretPrefix)) {
    const name = text.slice(secretPrefix.length);
    if (!secretName.test(name)) return { ok: false, message: `"${text}" names no valid secret: use letters, digits, '_', '.' or '-'` };
    return { ok: true, parts: [{ kind: 'secret', name }] };
  }
  return parseNativeText(text);
}
