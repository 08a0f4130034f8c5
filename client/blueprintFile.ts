// Reads a blueprint (or Compose) file and loads it, with every diagnostic printed at its
// position.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDiagnostics, loadBlueprintOrCompose, type LoadResult } from '../domain/blueprint';
import { profilesFromEnv } from '../domain/blueprint/compose/profiles';
import type { Blueprint } from '../domain/blueprint/model';
import { resolveBuilds } from './resolveBuilds';

export class BlueprintInvalidError extends Error {}

export interface LoadedFile {
  result: LoadResult;
  /** Errors and warnings, formatted with the source line and a caret. */
  report: string;
}

export interface FileOptions {
  /** Compose profiles to activate (`--profile`); absent or empty: COMPOSE_PROFILES, as Compose does. */
  profiles?: readonly string[];
}

export function loadBlueprintFile(file: string, options: FileOptions = {}): LoadedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BlueprintInvalidError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const profiles = options.profiles !== undefined && options.profiles.length > 0 ? options.profiles : profilesFromEnv(process.env['COMPOSE_PROFILES']);
  // Compose paths like ./data are relative to the file's folder, wherever the command runs.
  const result = loadBlueprintOrCompose(text, file, { profiles, folder: dirname(resolve(file)) });
  const diagnostics = [...(result.ok ? [] : result.errors), ...result.warnings];
  return { result, report: formatDiagnostics(diagnostics, text) };
}

/** The blueprint, or a BlueprintInvalidError listing every error; warnings go to stderr. */
export function readBlueprintFile(file: string, options: FileOptions = {}): Blueprint {
  const { result, report } = loadBlueprintFile(file, options);
  if (!result.ok) throw new BlueprintInvalidError(report);
  if (report) console.error(report);
  return resolveBuilds(result.blueprint, file); // build contexts: read and hashed here, where the file is
}
