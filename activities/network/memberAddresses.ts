// Members' addresses from the infrastructure's IPAM: allocated when a member is started on its
// host (idempotent per member and subnet: a retry, or a restart, gets the same address) and
// handed to Docker as the endpoint's IPv4Address; released when the member goes. The owner of
// an address is `<app>/<service>/<member>`.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { workflowIds } from '../../domain/naming';
import { allocateAddressesUpdate, allocateAddressUpdate, infraStatusQuery, releaseAddressesUpdate, releaseAddressUpdate, type AllocateAddressesResult } from '../../workflows/messages';
import { InfrastructureNotFoundError, SubnetRejectedError } from '../errors';
import { whileBeating } from '../heartbeatTicker';

export interface MemberAddressRequest {
  infrastructure: string;
  app: string;
  service: string;
  member: string;
  /** The networks the member joins: the subnet (IPAM's id, the network's CIDR) and a static address if the blueprint names one. */
  networks: { id: string; subnetId: string; address?: string }[];
}

/** Many members' addresses in one activity: the members one placement gave a service. */
export interface MembersAddressRequest {
  infrastructure: string;
  app: string;
  service: string;
  members: { member: string; networks: MemberAddressRequest['networks'] }[];
}

/** Per member: its address on each network, or why IPAM refused it (that member fails, the others start). */
export type MemberAddressAnswer = { addresses: Record<string, string> } | { refused: string };

/** IPAM Updates in flight at once: the infrastructure takes several per workflow task, and one member's wait does not hold the rest. */
const ALLOCATIONS_IN_FLIGHT = 8;

/** Members per allocateAddresses Update, addresses per releaseAddresses Update: hundreds stay a few Updates of modest payload. */
const OWNERS_PER_UPDATE = 250;
const RELEASES_PER_UPDATE = 500;

/**
 * An infrastructure worker without the Update's handler (a release before it) rejects the Update
 * with this text (the TypeScript SDK's, for an Update no handler took); no history is written.
 */
export function isMissingUpdateHandler(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError && /No registered handler for update/.test(err.cause?.message ?? '');
}

/** What IPAM is asked for one network of a member: its subnet, and the blueprint's static address if it names one. */
const addressRequest = (n: MemberAddressRequest['networks'][number]) => ({ subnetId: n.subnetId, ...(n.address ? { address: n.address } : {}) });

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
  const held = view.subnets.flatMap((subnet) =>
    subnet.addresses.filter((h) => (owners ? owners.includes(h.owner) : h.owner.startsWith(prefix))).map((h) => ({ subnetId: subnet.id, ...h })),
  );
  if (held.length === 0) return [];
  // Idempotent in IPAM: a retried activity releasing again changes nothing.
  const releases = held.map((h) => ({ subnetId: h.subnetId, owner: h.owner }));
  try {
    for (let from = 0; from < releases.length; from += RELEASES_PER_UPDATE) {
      await handle.executeUpdate(releaseAddressesUpdate, { args: [{ releases: releases.slice(from, from + RELEASES_PER_UPDATE) }] });
    }
  } catch (err) {
    if (!isMissingUpdateHandler(err)) throw err;
    // An infrastructure worker of an earlier release: one Update per address, several in flight.
    const queue = [...releases];
    const lane = async () => {
      for (let r = queue.shift(); r !== undefined; r = queue.shift()) await handle.executeUpdate(releaseAddressUpdate, { args: [r] });
    };
    await Promise.all(Array.from({ length: Math.min(ALLOCATIONS_IN_FLIGHT, queue.length) }, lane));
  }
  return held.map((h) => h.address);
}

/** The activity's own id, the base of its Updates' ids (a retried attempt asks the same Updates again). */
function updateBase(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
}

export function memberAddressActivities(temporal: Client) {
  const infra = (name: string) => temporal.workflow.getHandle(workflowIds.infrastructure(name));

  /** One member's address on each of its networks, one IPAM Update per network. */
  const allocate = async (infrastructure: string, owner: string, networks: MemberAddressRequest['networks'], base: string): Promise<Record<string, string>> => {
    const addresses: Record<string, string> = {};
    for (const n of networks) {
      const request = { ...addressRequest(n), owner };
      const allocated = await infra(infrastructure)
        .executeUpdate(allocateAddressUpdate, { args: [request], updateId: `${base}/${n.id}` })
        .catch((err: unknown) => {
          if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(infrastructure, `${owner} on ${n.id}`, err.cause?.message ?? err.message);
          if (err instanceof WorkflowNotFoundError) throw new InfrastructureNotFoundError(infrastructure);
          throw err;
        });
      addresses[n.id] = allocated.address;
    }
    return addresses;
  };

  /** Undefined when the infrastructure's worker does not know the Update yet. */
  const allocateInBatches = async (req: MembersAddressRequest, base: string): Promise<Record<string, MemberAddressAnswer> | undefined> => {
    const answers: Record<string, MemberAddressAnswer> = {};
    for (let from = 0; from < req.members.length; from += OWNERS_PER_UPDATE) {
      const chunk = req.members.slice(from, from + OWNERS_PER_UPDATE);
      const owners = chunk.map((m) => ({
        owner: memberAddressOwner(req.app, req.service, m.member),
        requests: m.networks.map(addressRequest),
      }));
      let result: AllocateAddressesResult;
      try {
        result = await infra(req.infrastructure).executeUpdate(allocateAddressesUpdate, { args: [{ owners }], updateId: `${base}/batch/${from}` });
      } catch (err) {
        // Owners that got addresses in an earlier chunk get the same ones again one by one.
        if (isMissingUpdateHandler(err)) return undefined;
        if (err instanceof WorkflowNotFoundError) throw new InfrastructureNotFoundError(req.infrastructure);
        // The validator checks only the shape this function builds: a rejection is a bug here, not the members'.
        if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(req.infrastructure, `addresses of ${req.app}/${req.service}`, err.cause?.message ?? err.message);
        throw err;
      }
      chunk.forEach((m, i) => {
        const answer = result.owners[i];
        if (!answer || answer.owner !== owners[i]!.owner) throw new Error(`allocateAddresses answered out of order at ${i} (${answer?.owner ?? 'nothing'} for ${owners[i]!.owner})`);
        answers[m.member] =
          'allocations' in answer
            ? { addresses: Object.fromEntries(m.networks.map((n, j) => [n.id, answer.allocations[j]!.address])) }
            : { refused: new SubnetRejectedError(req.infrastructure, `${answer.owner} on ${m.networks[answer.refusedAt]?.id ?? '?'}`, `address refused: ${answer.reason}`).message };
      });
    }
    return answers;
  };

  /** One Update per member and network, several members at once: for an infrastructure worker of an earlier release. */
  const allocateOneByOne = async (req: MembersAddressRequest, base: string): Promise<Record<string, MemberAddressAnswer>> => {
    const answers: Record<string, MemberAddressAnswer> = {};
    const queue = [...req.members];
    const lane = async () => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
        const owner = memberAddressOwner(req.app, req.service, m.member);
        try {
          answers[m.member] = { addresses: await allocate(req.infrastructure, owner, m.networks, `${base}/${m.member}`) };
        } catch (err) {
          if (!(err instanceof SubnetRejectedError)) throw err;
          answers[m.member] = { refused: err.message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ALLOCATIONS_IN_FLIGHT, queue.length) }, lane));
    return answers;
  };

  return {
    /** Network id → the member's address on it. */
    async allocateMemberAddresses(req: MemberAddressRequest): Promise<Record<string, string>> {
      return allocate(req.infrastructure, memberAddressOwner(req.app, req.service, req.member), req.networks, updateBase());
    },

    /**
     * Member → its addresses (or IPAM's refusal), for every member of one placement: one step of
     * the service's history, and one Update of the infrastructure's per 250 members (an
     * infrastructure worker of an earlier release has no such Update: then one Update per member
     * and network, as before). A refusal is that member's; anything else (the infrastructure
     * gone, a Temporal error) fails the call, which retries as a whole (IPAM answers an owner that
     * asks again with the address it holds).
     */
    async allocateMembersAddresses(req: MembersAddressRequest): Promise<Record<string, MemberAddressAnswer>> {
      const base = updateBase();
      return whileBeating(async () => (await allocateInBatches(req, base)) ?? (await allocateOneByOne(req, base)));
    },
  };
}
