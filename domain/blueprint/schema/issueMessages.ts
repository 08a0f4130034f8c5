// Zod issues → diagnostics with our own wording, so messages are stable and readable.
import { z } from 'zod';
import { didYouMean } from '../didYouMean';
import type { Reporter } from '../reporter';
import { knownKeysAt } from './knownKeys';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

const expectedNames: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true/false',
  object: 'a map', record: 'a map', array: 'a list', nan: 'a number',
};

export function describeInput(input: unknown): string {
  if (input === null) return 'nothing (null)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return input.length > 40 ? `${JSON.stringify(input.slice(0, 40))}…` : JSON.stringify(input);
  return String(input);
}

/** Zod's own default wordings; anything else was written in our schema and is kept. */
const zodDefault = /^(Invalid|Too (small|big)|Unrecognized)/;

const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function toPath(path: PropertyKey[]): Path {
  return path.filter((p): p is string | number => typeof p !== 'symbol');
}

function alternatives(branches: Issue[][]): string {
  const names = [...new Set(branches.flatMap((b) => b.map((i) => (i.code === 'invalid_type' ? expectedNames[i.expected] ?? i.expected : 'another form'))))];
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export function reportIssue(issue: Issue, base: Path, root: z.core.$ZodType, reporter: Reporter): void {
  const path = [...base, ...toPath(issue.path)];
  const custom = !zodDefault.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return reporter.error('schema.required', path, `required field "${String(path[path.length - 1])}" is missing`);
      return reporter.error('schema.type', path, `expected ${expectedNames[issue.expected] ?? issue.expected}, got ${describeInput(issue.input)}`);
    case 'unrecognized_keys': {
      const known = knownKeysAt(root, path);
      for (const key of issue.keys) reporter.error('schema.unknownKey', [...path, key], `unknown field "${key}"${didYouMean(key, known)}`, 'key');
      return;
    }
    case 'invalid_union': {
      // The branch that got past the "wrong kind of value" check is the one the author meant.
      const meant = issue.errors.find((b) => !b.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (meant) return meant.forEach((i) => reportIssue(i, path, root, reporter));
      return reporter.error('schema.type', path, `expected ${alternatives(issue.errors)}, got ${describeInput(issue.input)}`);
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return reporter.error('schema.value', path, `expected one of ${options.join(', ')}, got ${describeInput(issue.input)}${hint}`);
    }
    case 'too_small':
    case 'too_big': {
      if (custom) return reporter.error('schema.range', path, issue.message);
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? (issue.inclusive === false ? 'greater than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
      const got = issue.origin === 'number' || issue.origin === 'int' ? `, got ${describeInput(issue.input)}` : '';
      return reporter.error('schema.range', path, `must be ${word} ${String(bound)}${unit}${got}`);
    }
    case 'invalid_key':
      return issue.issues.forEach((i) => reportIssue({ ...i, message: i.message }, path, root, reporter));
    case 'invalid_element':
      return issue.issues.forEach((i) => reportIssue(i, path, root, reporter));
    case 'invalid_format':
      return reporter.error('schema.format', path, custom ? `${issue.message}, got ${describeInput(issue.input)}` : `expected ${issue.format}, got ${describeInput(issue.input)}`);
    default:
      return reporter.error('schema.invalid', path, isScalar(issue.input) ? `${issue.message}, got ${describeInput(issue.input)}` : issue.message);
  }
}
