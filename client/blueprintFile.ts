// Reads a blueprint (or Compose) file and loads it, with every diagnostic printed at its
// position.
import { readFileSync } from 'node:fs';
import { formatDiagnostics, loadBlueprintOrCompose, type LoadResult } from '../domain/blueprint';
import type { Blueprint } from '../domain/blueprint/model';
import { resolveBuilds } from './resolveBuilds';

export class BlueprintInvalidError extends Error {}

export interface LoadedFile {
  result: LoadResult;
  /** Errors and warnings, formatted with the source line and a caret. */
  report: string;
}

export function loadBlueprintFile(file: string): LoadedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BlueprintInvalidError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = loadBlueprintOrCompose(text, file);
  const diagnostics = [...(result.ok ? [] : result.errors), ...result.warnings];
  return { result, report: formatDiagnostics(diagnostics, text) };
}

/** The blueprint, or a BlueprintInvalidError listing every error; warnings go to stderr. */
export function readBlueprintFile(file: string): Blueprint {
  const { result, report } = loadBlueprintFile(file);
  if (!result.ok) throw new BlueprintInvalidError(report);
  if (report) console.error(report);
  return resolveBuilds(result.blueprint, file); // build contexts: read and hashed here, where the file is
}
