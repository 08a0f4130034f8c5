// `clocker infra create FILE`: validate the infra file (every error with file:line:column),
// start its infrastructure workflow, and follow provisioning until every host settles.
import { readFileSync } from 'node:fs';
import { formatDiagnostics } from '../../domain/blueprint/diagnostic';
import type { InfraDefinition } from '../../domain/infraSpec/model';
import { loadInfraDefinition } from '../../domain/infraSpec/load';
import type { InfrastructureInput } from '../../workflows/infrastructure';
import type { ClockerClient } from '../clockerClient';
import { renderInfra } from '../render/infraTable';
import { localInfrastructure } from './up';
import type { InfraView } from '../../workflows/messages';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { infraLines } from '../progress/progressLines';
import { ProgressPrinter } from '../progress/progressPrinter';
import { detachedText, followUntilInterrupted, infraWatchHint } from '../progress/reattach';

export function readInfraFile(file: string): InfraDefinition {
  const text = readFileSync(file, 'utf8');
  const result = loadInfraDefinition(text, file);
  if (result.warnings.length > 0) console.error(formatDiagnostics(result.warnings, text));
  if (!result.ok) throw new Error(`${file} is not a valid infra file:\n${formatDiagnostics(result.errors, text)}`);
  return result.definition;
}

export async function infrastructureInput(definition: InfraDefinition): Promise<InfrastructureInput> {
  if (definition.location === 'local') return { ...(await localInfrastructure()), name: definition.name, policy: definition.policy };
  const { name, hosts, spares, provisioning, policy } = definition;
  return { name, hosts: [], provision: { hosts, spares, provisioning }, policy };
}

export async function infraCreate(clocker: ClockerClient, file: string, opts: { wait: boolean; timeoutSec: number }): Promise<string> {
  const input = await infrastructureInput(readInfraFile(file));
  const outcome = await clocker.createInfrastructure(input);
  if (!opts.wait) return `infrastructure "${input.name}" ${outcome}; ${detachedText('provisioning', infraWatchHint(input.name))}`;
  console.log(`infrastructure "${input.name}" ${outcome}`);
  const view = await followInfra(clocker, input.name, (v) => v.hosts.every((h) => h.status !== 'PROVISIONING'), opts.timeoutSec);
  return renderInfra(view);
}

/**
 * Shows the hosts as they move until `done`; Ctrl-C stops following (the workflow goes on)
 * and says how to reattach. `infra create` and the host commands (infraHosts.ts) follow alike.
 */
export async function followInfra(clocker: ClockerClient, name: string, done: (v: InfraView) => boolean, timeoutSec: number): Promise<InfraView> {
  const printer = new ProgressPrinter();
  const view = await followUntilInterrupted(printer, infraWatchHint(name), () =>
    clocker.waitForInfrastructure(name, done, timeoutSec * 1000, (v) => showInfra(clocker, printer, v), FOLLOW_INTERVAL_MS),
  );
  printer.end();
  return view;
}

/** The infrastructure's hosts, with the step each provisioning host's own workflow is on. */
export async function showInfra(clocker: ClockerClient, printer: ProgressPrinter, view: InfraView): Promise<void> {
  const provisioning = view.hosts.filter((h) => h.status === 'PROVISIONING');
  const steps = Object.fromEntries(await Promise.all(provisioning.map(async (h) => [h.id, await clocker.hostStep(view.name, h.id)] as const)));
  printer.update(infraLines(view, steps));
}
