// Shared by the blueprint tests: load inline YAML and get the blueprint or the messages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { loadBlueprint } from '../../../domain/blueprint/load';
import type { Blueprint } from '../../../domain/blueprint/model';

export const examplesDir = join(__dirname, '..', '..', '..', 'examples');

export function example(name: string): string {
  return readFileSync(join(examplesDir, name), 'utf8');
}

/** Dedents a template literal so tests can write YAML indented with the code. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function load(text: string): Blueprint {
  const result = loadBlueprint(text, 'app.yaml');
  if (!result.ok) assert.fail(result.errors.map((d) => formatDiagnostic(d)).join('\n'));
  return result.blueprint;
}

/** Every error as `file:line:column: error: path: message`. */
export function errorsOf(text: string): string[] {
  const result = loadBlueprint(text, 'app.yaml');
  assert.equal(result.ok, false, 'expected the blueprint to be rejected');
  return result.ok ? [] : result.errors.map((d) => formatDiagnostic(d));
}

export function warningsOf(text: string): string[] {
  return loadBlueprint(text, 'app.yaml').warnings.map((d) => formatDiagnostic(d));
}
