// Members' addresses from the infrastructure's IPAM: allocated when a member is started on its
// host (idempotent per member and subnet: a retry, or a restart, gets the same address) and
// handed to Docker as the endpoint's IPv4Address; released when the member goes. The owner of
// an address is `<app>/<service>/<member>`.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { workflowIds } from '../../domain/naming';
import { allocateAddressUpdate, infraStatusQuery, releaseAddressUpdate } from '../../workflows/messages';
import { InfrastructureNotFoundError, SubnetRejectedError } from '../errors';

export interface MemberAddressRequest {
  infrastructure: string;
  app: string;
  service: string;
  member: string;
  /** The networks the member joins: the subnet (IPAM's id, the network's CIDR) and a static address if the blueprint names one. */
  networks: { id: string; subnetId: string; address?: string }[];
}

export const memberAddressOwner = (app: string, service: string, member: string) => `${app}/${service}/${member}`;

/**
 * Releases what the members hold in any subnet (every member of the service when none are
 * named); returns the addresses given back. Called by the releaseMembers activity, so a
 * member's room and its addresses go back in one step of the service's history.
 */
export async function releaseMemberAddresses(temporal: Client, req: { infrastructure: string; app: string; service: string; members?: string[] }): Promise<string[]> {
  const handle = temporal.workflow.getHandle(workflowIds.infrastructure(req.infrastructure));
  const view = await handle.query(infraStatusQuery).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return undefined; // gone: it holds nothing
    throw err;
  });
  if (!view) return [];
  const owners = req.members?.map((m) => memberAddressOwner(req.app, req.service, m));
  const prefix = memberAddressOwner(req.app, req.service, '');
  const released: string[] = [];
  for (const subnet of view.subnets) {
    for (const held of subnet.addresses) {
      if (owners ? !owners.includes(held.owner) : !held.owner.startsWith(prefix)) continue;
      // Idempotent in IPAM: a retried activity releasing again changes nothing.
      await handle.executeUpdate(releaseAddressUpdate, { args: [{ subnetId: subnet.id, owner: held.owner }] });
      released.push(held.address);
    }
  }
  return released;
}

export function memberAddressActivities(temporal: Client) {
  const infra = (name: string) => temporal.workflow.getHandle(workflowIds.infrastructure(name));

  return {
    /** Network id → the member's address on it. */
    async allocateMemberAddresses(req: MemberAddressRequest): Promise<Record<string, string>> {
      const info = Context.current().info;
      const base = `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
      const owner = memberAddressOwner(req.app, req.service, req.member);
      const addresses: Record<string, string> = {};
      for (const n of req.networks) {
        const request = { subnetId: n.subnetId, owner, ...(n.address ? { address: n.address } : {}) };
        const allocated = await infra(req.infrastructure)
          .executeUpdate(allocateAddressUpdate, { args: [request], updateId: `${base}/${n.id}` })
          .catch((err: unknown) => {
            if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(req.infrastructure, `${owner} on ${n.id}`, err.cause?.message ?? err.message);
            if (err instanceof WorkflowNotFoundError) throw new InfrastructureNotFoundError(req.infrastructure);
            throw err;
          });
        addresses[n.id] = allocated.address;
      }
      return addresses;
    },
  };
}
