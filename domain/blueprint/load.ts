// The loader: text → a validated Blueprint, or every problem with its position.
//
//   parse (yaml, positions) → normalize (Brooklyn / Clocker 1.x forms) → schema (zod, with
//   defaults and short forms) → build (references, config, sizes) → cross-field checks
//
// A stage runs only if the one before it found no errors, so no message is a consequence of
// another; within a stage, every error is reported.
import type { Diagnostic } from './diagnostic';
import { buildBlueprint } from './build/buildBlueprint';
import { crossChecks } from './crossChecks';
import type { Blueprint } from './model';
import { normalizeBrooklyn } from './normalize/normalizeBrooklyn';
import { parseYaml } from './parseYaml';
import { Reporter } from './reporter';
import { blueprintSpec, type RawBlueprint } from './schema/blueprint';
import { withRejectedElementsReplaced } from './partialChecks';
import { reportIssue } from './schema/issueMessages';
import type { SourcePositions } from './sourcePositions';

export type LoadResult =
  /** `positions`: where each field of the file is (rebuilt fields followed back), for problems found later (the preflight's). */
  | { ok: true; blueprint: Blueprint; warnings: Diagnostic[]; positions?: SourcePositions }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/** What the caller knows beyond the text. */
export interface LoadOptions {
  /** Compose profiles to activate (`--profile`, COMPOSE_PROFILES); "*" activates all. */
  profiles?: readonly string[];
  /**
   * The file's folder, absolute: Compose paths like `./data` are joined to it. Absent: taken
   * from `file` when that is absolute.
   */
  folder?: string;
}

export function loadBlueprint(text: string, file: string): LoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: parsed.warnings };
  const reporter = new Reporter(file, parsed.positions);
  const normalized = normalizeBrooklyn(parsed.data, parsed.positions, reporter);
  const result = validateNormalized(normalized.data, normalized.format, reporter);
  const warnings = [...parsed.warnings, ...reporter.warnings];
  return result === undefined ? { ok: false, errors: reporter.errors, warnings } : { ok: true, blueprint: result, warnings, positions: reporter.positions };
}

/** Stages 3–5, shared with the Compose importer (which builds native data itself). */
export function validateNormalized(data: unknown, format: Blueprint['source']['format'], reporter: Reporter): Blueprint | undefined {
  if (reporter.hasErrors) return undefined;
  const checked = blueprintSpec.safeParse(data, { reportInput: true });
  if (!checked.success) {
    checked.error.issues.forEach((issue) => reportIssue(issue, [], blueprintSpec, reporter));
    const rest = blueprintSpec.safeParse(withRejectedElementsReplaced(data, checked.error.issues));
    if (rest.success) buildAndCheck(rest.data, format, reporter);
    return undefined;
  }
  return buildAndCheck(checked.data, format, reporter);
}

function buildAndCheck(raw: RawBlueprint, format: Blueprint['source']['format'], reporter: Reporter): Blueprint | undefined {
  // Cross-field checks run even when a value was rejected: they look at other fields.
  const blueprint = buildBlueprint(raw, format, reporter);
  crossChecks(blueprint, reporter);
  return reporter.hasErrors ? undefined : blueprint;
}

export type { SourcePositions };
