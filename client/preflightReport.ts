// Runs the preflight for a blueprint file and prints each problem where it is in the file
// (file:line:column, the line and a caret), as `clocker validate` prints the loader's errors.
import { readFileSync } from 'node:fs';
import { formatDiagnostics, loadBlueprintOrCompose } from '../domain/blueprint';
import { planChanges } from '../domain/application/plan';
import type { PreflightProblem } from '../domain/application/preflightProblems';
import type { FieldPath } from '../domain/blueprint/fieldPath';
import type { Blueprint } from '../domain/blueprint/model';
import { parseYaml } from '../domain/blueprint/parseYaml';
import { Reporter } from '../domain/blueprint/reporter';
import type { SourcePositions } from '../domain/blueprint/sourcePositions';
import type { ClockerClient } from './clockerClient';

/**
 * The preflight's problems for this blueprint: for a new application every service is placed
 * in the dry run; for a running one only the services the new version adds (the rest hold
 * their room already).
 */
export async function preflightFor(clocker: ClockerClient, blueprint: Blueprint): Promise<PreflightProblem[]> {
  const running = await clocker.runningBlueprint(blueprint.name);
  const added = running ? planChanges(running, blueprint).changes.flatMap((c) => (c.kind === 'add' ? [c.service] : [])) : undefined;
  return clocker.preflight(blueprint, added);
}

/** Each problem as `file:line:column: error: path: message` with the source line, sorted like the file. */
export function formatProblems(file: string, blueprint: Blueprint, problems: readonly PreflightProblem[]): string {
  const text = readFileSync(file, 'utf8');
  const loaded = loadBlueprintOrCompose(text, file);
  const { positions, translate } = loaded.ok && loaded.positions ? { positions: loaded.positions, translate: (p: FieldPath) => p } : composeFallback(text, file, blueprint);
  const reporter = new Reporter(file, positions);
  for (const p of problems) reporter.error(`preflight.${p.code}`, translate(p.path), p.message);
  return formatDiagnostics(reporter.errors, text);
}

/**
 * A loader that kept no positions (the Compose importer): the file's own positions, with a
 * service's index turned into its name, as a Compose file keys its services.
 */
const composeSpelling: Record<string, string> = { capAdd: 'cap_add' };

function composeFallback(text: string, file: string, blueprint: Blueprint): { positions: SourcePositions; translate: (p: FieldPath) => FieldPath } {
  const translate = (p: FieldPath): FieldPath => {
    const service = typeof p[1] === 'number' ? blueprint.services[p[1]] : undefined;
    if (p[0] !== 'services' || !service) return p;
    // Native keys whose Compose spelling differs (the host policy names them).
    const key = typeof p[2] === 'string' ? (composeSpelling[p[2]] ?? p[2]) : p[2];
    return ['services', service.id, ...(key === undefined ? [] : [key]), ...p.slice(3)];
  };
  return { positions: parseYaml(text, file).positions, translate };
}

/** `deploy`'s first step: with any problem, they are printed at their places and nothing is started. */
export async function refuseOnProblems(clocker: ClockerClient, file: string, blueprint: Blueprint): Promise<void> {
  const problems = await preflightFor(clocker, blueprint);
  if (problems.length === 0) return;
  console.error(formatProblems(file, blueprint, problems));
  throw new Error(`"${blueprint.name}" was not deployed: ${problems.length} problem${problems.length === 1 ? '' : 's'} (above); nothing was created`);
}
