// Reads a blueprint file and loads it, printing every diagnostic with its position.
import { readFileSync } from 'node:fs';
import type { Blueprint } from '../domain/blueprint/model';
import { loadBlueprint } from '../domain/blueprint/load';
import { formatDiagnostics } from '../domain/blueprint/diagnostic';

export class BlueprintInvalidError extends Error {}

export function readBlueprintFile(file: string): Blueprint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BlueprintInvalidError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = loadBlueprint(text, file);
  for (const w of result.warnings) console.error(formatDiagnostics([w], text));
  if (!result.ok) throw new BlueprintInvalidError(formatDiagnostics(result.errors, text));
  return result.blueprint;
}
