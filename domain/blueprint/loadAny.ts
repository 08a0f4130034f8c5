// `clocker deploy FILE` takes a blueprint or a Compose file: a Compose file's `services` is
// a map of names, a blueprint's a list. Parsing twice is cheap and keeps each loader simple.
import { parse } from 'yaml';
import { importCompose } from './compose/importCompose';
import { loadBlueprint, type LoadOptions, type LoadResult } from './load';

export function isComposeText(text: string): boolean {
  try {
    const data: unknown = parse(text, { maxAliasCount: 100 });
    const services = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['services'] : undefined;
    return typeof services === 'object' && services !== null && !Array.isArray(services);
  } catch {
    return false;
  }
}

/** Options a native blueprint has no use for (profiles, the folder) are Compose's. */
export function loadBlueprintOrCompose(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const result = isComposeText(text) ? importCompose(text, file, options) : loadBlueprint(text, file);
  // The folder lets a `local` host policy allow binds inside it (domain/infra/hostPolicy.ts).
  if (result.ok && options.folder !== undefined) result.blueprint.source.folder = options.folder;
  return result;
}
