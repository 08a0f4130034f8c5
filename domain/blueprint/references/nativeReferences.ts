// The native reference syntax, inside any value text:
//   ${db.host.address}   attribute `host.address` published by service `db`
//   ${secret:DB_PASSWORD} a secret, resolved by the activity that needs it
//   ${config:db_name}    a config key of this service (or the blueprint), substituted at load
//   $${                  a literal "${"
import { idPattern } from '../schema/primitives';
import { mergeText, type ParsedValue, type RawPart } from './rawParts';

const attributeName = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/;
export const secretName = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function parseInside(inside: string): RawPart | string {
  if (inside.startsWith('secret:')) {
    const name = inside.slice('secret:'.length);
    return secretName.test(name) ? { kind: 'secret', name } : `"\${${inside}}" names no valid secret: use letters, digits, '_', '.' or '-'`;
  }
  if (inside.startsWith('config:')) {
    const key = inside.slice('config:'.length);
    return key === '' ? `"\${config:}" names no config key` : { kind: 'config', key };
  }
  const dot = inside.indexOf('.');
  const service = dot < 0 ? inside : inside.slice(0, dot);
  const attribute = dot < 0 ? '' : inside.slice(dot + 1);
  if (!idPattern.test(service) || !attributeName.test(attribute)) {
    return `"\${${inside}}" is not a reference: write \${service.attribute}, \${secret:NAME} or \${config:key} (write $\${ for a literal "\${")`;
  }
  return { kind: 'attribute', service, attribute };
}

export function parseNativeText(text: string): ParsedValue {
  const parts: RawPart[] = [];
  let rest = text;
  while (rest !== '') {
    const at = rest.indexOf('${');
    if (at < 0) break;
    if (at > 0 && rest[at - 1] === '$') {
      parts.push({ kind: 'text', text: rest.slice(0, at - 1) + '${' });
      rest = rest.slice(at + 2);
      continue;
    }
    const end = rest.indexOf('}', at);
    if (end < 0) return { ok: false, message: `unclosed reference "${rest.slice(at, at + 30)}": a reference ends with "}" (write $\${ for a literal "\${")` };
    const part = parseInside(rest.slice(at + 2, end));
    if (typeof part === 'string') return { ok: false, message: part };
    parts.push({ kind: 'text', text: rest.slice(0, at) }, part);
    rest = rest.slice(end + 1);
  }
  parts.push({ kind: 'text', text: rest });
  return { ok: true, parts: mergeText(parts) };
}
