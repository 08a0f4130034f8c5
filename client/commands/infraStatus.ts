// `clocker infra status [name]`: the scheduler's books for one infrastructure, as tables or
// as the query's JSON (for scripts).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ClockerClient } from '../clockerClient';
import { renderInfra } from '../render/infraTable';

export async function infraStatus(clocker: ClockerClient, name: string, json: boolean): Promise<string> {
  try {
    const view = await clocker.infrastructureStatus(name);
    return json ? JSON.stringify(view, null, 2) : renderInfra(view);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`no infrastructure "${name}"; \`clocker up\` registers "local"`);
    throw err;
  }
}
