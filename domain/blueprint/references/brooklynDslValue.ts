// Evaluates a parsed Brooklyn DSL chain into template parts. Supported, because the seeds and
// Clocker 1.x blueprints use them: entity/component/sibling (a service), .attributeWhenReady,
// .config, config, formatString, literal, external (a secret). Anything else is an error
// naming the function, never ignored.
import { idPattern } from '../schema/primitives';
import type { DslArg, DslCall } from './brooklynDslParser';
import { mergeText, type ParsedValue, type RawPart } from './rawParts';

type Evaluated = { parts: RawPart[] } | { entity: string };

class DslValueError extends Error {}

const entityFunctions = new Set(['entity', 'component', 'sibling', 'descendant', 'child']);
const supported = 'entity, component, sibling, attributeWhenReady, config, formatString, literal, external';

function stringArgs(call: DslCall, count: number[]): string[] {
  if (!count.includes(call.args.length) || call.args.some((a) => a.kind !== 'string')) {
    throw new DslValueError(`$brooklyn:${call.name} takes ${count.join(' or ')} quoted string argument${count.includes(1) && count.length === 1 ? '' : 's'}`);
  }
  return call.args.map((a) => (a.kind === 'string' ? a.value : ''));
}

function start(call: DslCall): Evaluated {
  if (entityFunctions.has(call.name)) {
    const args = stringArgs(call, [1, 2]);
    const id = args[args.length - 1] ?? '';
    if (!idPattern.test(id)) throw new DslValueError(`$brooklyn:${call.name}("${id}") names no valid service id`);
    return { entity: id };
  }
  switch (call.name) {
    case 'config':
      return { parts: [{ kind: 'config', key: stringArgs(call, [1])[0] ?? '' }] };
    case 'literal':
      return { parts: [{ kind: 'text', text: stringArgs(call, [1])[0] ?? '' }] };
    case 'external':
      return { parts: [{ kind: 'secret', name: stringArgs(call, [2])[1] ?? '' }] };
    case 'formatString':
      return { parts: formatString(call.args) };
    case 'attributeWhenReady':
      throw new DslValueError('$brooklyn:attributeWhenReady without an entity reads the service\'s own attribute, which exists only after it starts: name the entity, e.g. $brooklyn:entity("db").attributeWhenReady("host.address")');
    default:
      throw new DslValueError(`$brooklyn:${call.name} is not supported here (supported: ${supported})`);
  }
}

function then(value: Evaluated, call: DslCall): Evaluated {
  if (!('entity' in value)) throw new DslValueError(`.${call.name}(…) can follow only an entity, e.g. $brooklyn:entity("db").${call.name}(…)`);
  if (call.name === 'attributeWhenReady') return { parts: [{ kind: 'attribute', service: value.entity, attribute: stringArgs(call, [1])[0] ?? '' }] };
  if (call.name === 'config') return { parts: [{ kind: 'config', service: value.entity, key: stringArgs(call, [1])[0] ?? '' }] };
  throw new DslValueError(`.${call.name}(…) is not supported on an entity (supported: attributeWhenReady, config)`);
}

function evaluate(calls: DslCall[]): Evaluated {
  const [first, ...rest] = calls;
  if (!first) throw new DslValueError('empty expression');
  return rest.reduce(then, start(first));
}

function argParts(arg: DslArg): RawPart[] {
  if (arg.kind !== 'chain') return [{ kind: 'text', text: String(arg.value) }];
  const value = evaluate(arg.calls);
  if ('entity' in value) throw new DslValueError(`an entity (${value.entity}) is not a value: add .attributeWhenReady("…")`);
  return value.parts;
}

function formatString(args: DslArg[]): RawPart[] {
  const [format, ...values] = args;
  if (format?.kind !== 'string') throw new DslValueError('$brooklyn:formatString needs a quoted format string first');
  const parts: RawPart[] = [];
  let next = 0;
  const pieces = format.value.split(/(%%|%[sd])/);
  for (const piece of pieces) {
    if (piece === '%%') parts.push({ kind: 'text', text: '%' });
    else if (piece === '%s' || piece === '%d') {
      const arg = values[next++];
      if (!arg) throw new DslValueError(`$brooklyn:formatString("${format.value}") has more placeholders than arguments`);
      parts.push(...argParts(arg));
    } else if (/%./.test(piece)) throw new DslValueError(`$brooklyn:formatString supports only %s, %d and %%, found "${/%./.exec(piece)?.[0] ?? ''}"`);
    else parts.push({ kind: 'text', text: piece });
  }
  if (next < values.length) throw new DslValueError(`$brooklyn:formatString("${format.value}") has ${values.length} arguments but ${next} placeholders`);
  return parts;
}

export function brooklynDslValue(calls: DslCall[]): ParsedValue {
  try {
    const value = evaluate(calls);
    return 'entity' in value ? { ok: true, entity: value.entity } : { ok: true, parts: mergeText(value.parts) };
  } catch (e) {
    if (e instanceof DslValueError) return { ok: false, message: e.message };
    throw e;
  }
}
