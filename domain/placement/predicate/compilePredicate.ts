// The user predicate is a filtrex expression: a small, safe language (no eval, no loops, no
// access to prototypes) compiled once per batch into a function over host attributes.
import { compileExpression } from 'filtrex';
import type { HostAttributes } from './hostAttributes';
import { HOST_ATTRIBUTE_NAMES } from './hostAttributes';

const KNOWN = new Set<string>(HOST_ATTRIBUTE_NAMES);

/** `true`/`false` when the expression ran; an Error's message when it failed on this host. */
export type PredicateOutcome = boolean | { error: string };
export type CompiledPredicate = (attributes: HostAttributes) => PredicateOutcome;

export class PredicateSyntaxError extends Error {
  override readonly name = 'PredicateSyntaxError';
}

/**
 * Unknown names are errors (a typo must not silently match nothing), except `labels.<key>`:
 * a host without that label simply has no value for it.
 */
function lookup(name: string, get: (name: string) => unknown, object: unknown): unknown {
  if (name.startsWith('labels.')) {
    const attributes = object as HostAttributes;
    return Object.prototype.hasOwnProperty.call(attributes, name) ? attributes[name] : undefined;
  }
  if (KNOWN.has(name)) return (object as HostAttributes)[name];
  return get(name);
}

export function compilePredicate(expression: string): CompiledPredicate {
  let run: (data: HostAttributes) => unknown;
  try {
    run = compileExpression(expression, { customProp: lookup });
  } catch (error) {
    throw new PredicateSyntaxError(describeParseError(expression, error));
  }
  return (attributes) => {
    const result = run(attributes);
    if (result instanceof Error) return { error: result.message };
    return Boolean(result);
  };
}

/**
 * Jison reports `Parse error on line 1:`, the text, a `----^` caret line and `Expecting …`;
 * folded into one line with the column, because messages end up in one-line explanations.
 */
function describeParseError(expression: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const caret = lines.find((l) => /^-*\^$/.test(l));
  const lexical = lines[0]?.includes('Unrecognized text') ? 'unrecognized text' : undefined;
  const expecting = lines.find((l) => l.startsWith('Expecting')) ?? lexical;
  if (caret === undefined || expecting === undefined) return `cannot parse predicate ${JSON.stringify(expression)}: ${lines[0] ?? message}`;
  return `cannot parse predicate ${JSON.stringify(expression)} at column ${caret.length}: ${expecting}`;
}
