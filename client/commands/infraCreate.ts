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
  if (!opts.wait) return `infrastructure "${input.name}" ${outcome}`;
  const view = await clocker.waitForInfrastructure(input.name, (v) => v.hosts.every((h) => h.status !== 'PROVISIONING'), opts.timeoutSec * 1000);
  return renderInfra(view);
}
