// Defence in depth: the preflight checked the blueprint against its infrastructure's host
// policy, and the container activity checks each spec again just before it creates a
// container, with the policy as the infrastructure holds it now. A spec that asks nothing of
// the host (no bind, not privileged, no capability, no host PID) needs no look-up.
import type { Client } from '@temporalio/client';
import { serviceHostProblems } from '../../domain/application/hostPolicyProblems';
import type { ServiceSpec } from '../../domain/blueprint/model';
import { workflowIds, type MemberRef } from '../../domain/naming';
import { blueprintQuery, infraStatusQuery } from '../../workflows/messages';
import { HostPolicyRefusedError } from '../errors';

export function asksOfHost(spec: ServiceSpec): boolean {
  return spec.volumes.some((v) => v.type === 'bind') || spec.privileged === true || (spec.capAdd ?? []).length > 0 || spec.pid === 'host';
}

/** Throws HostPolicyRefusedError naming each thing the policy does not allow. */
export async function checkHostPolicy(temporal: Client, ref: MemberRef, spec: ServiceSpec): Promise<void> {
  if (!asksOfHost(spec)) return;
  // Fail closed: without the application's blueprint or its infrastructure's policy nothing is created.
  const blueprint = await temporal.workflow.getHandle(workflowIds.application(ref.app)).query(blueprintQuery);
  const view = await temporal.workflow.getHandle(workflowIds.infrastructure(blueprint.location)).query(infraStatusQuery);
  if (view.policy === undefined) throw new HostPolicyRefusedError(`infrastructure "${blueprint.location}" answered no host policy`);
  const origin = { app: ref.app, location: blueprint.location, ...(blueprint.source.folder !== undefined && { folder: blueprint.source.folder }) };
  const problems = serviceHostProblems(spec, 0, view.policy, origin);
  if (problems.length > 0) throw new HostPolicyRefusedError(`service ${ref.service}: ${problems.map((p) => p.message).join('; ')}`);
}
