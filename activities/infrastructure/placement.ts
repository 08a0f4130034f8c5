// Activities that talk to the infrastructure workflow. Placement lives there (an Update is
// serialized with every other booking); the update id derives from the calling activity, so a
// retried activity gets the first attempt's answer instead of booking twice.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { PlacementSpec, ResourceSpec } from '../../domain/blueprint/model';
import { avoidingHosts } from '../../domain/application/memberPlacement';
import { placementOptions } from '../../domain/infra/blueprintPlacement';
import type { Assignment, DockerEndpoint } from '../../domain/infra/model';
import { networkName, workflowIds } from '../../domain/naming';
import type { InfrastructureShape } from '../../domain/network/defaultDriver';
import { allocateSubnetUpdate, infraStatusQuery, placeContainersUpdate, releaseContainersUpdate, releaseSubnetUpdate, type SubnetInfo } from '../../workflows/messages';
import type { DockerClientFactory } from '../docker/dockerClient';
import { subnetsInUse } from '../docker/subnetsInUse';
import { InfrastructureNotFoundError, PlacementRejectedError, SubnetRejectedError } from '../errors';
import { admissionActivities } from '../preflight/admissionDryRun';
import { memberAddressActivities, releaseMemberAddresses } from '../network/memberAddresses';
import { ensureHostMonitor } from '../monitoring/ensureMonitor';

export interface PlaceMembersInput {
  infrastructure: string;
  app: string;
  service: string;
  members: string[];
  /** The service's blueprint resources and placement rules, turned into a scheduler request here. */
  resources?: ResourceSpec;
  placement?: PlacementSpec;
  /**
   * Keep off these hosts where the scheduler has another that fits (a replacement for a member
   * that failed there); otherwise place as if they were not named.
   */
  avoidHosts?: string[];
}

/**
 * `docker` lets subnet allocation skip what the hosts' engines hold; without it (workflow tests' fakes) nothing is listed.
 * `monitorHosts`: each placement ensures a monitor on the hosts it chose (off in tests that run no watcher).
 */
export function placementActivities(temporal: Client, docker?: DockerClientFactory, options: { monitorHosts?: boolean } = {}) {
  const updateId = () => {
    const info = Context.current().info;
    const run = info.workflowExecution;
    return `${run?.workflowId ?? 'standalone'}/${run?.runId ?? ''}/${info.activityId}`;
  };
  const infra = (name: string) => temporal.workflow.getHandle(workflowIds.infrastructure(name));
  const notFound = (name: string) => (err: unknown): never => {
    if (err instanceof WorkflowNotFoundError) throw new InfrastructureNotFoundError(name);
    throw err;
  };

  /** The Docker engines of the infrastructure's hosts that take members (AVAILABLE or DRAINING); none if it is gone. */
  const liveHostEndpoints = async (name: string): Promise<DockerEndpoint[]> => {
    try {
      const view = await infra(name).query(infraStatusQuery);
      return view.hosts.filter((h) => h.status === 'AVAILABLE' || h.status === 'DRAINING').map((h) => h.docker);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  };
  /** Owners are `<app>/<network>` (workflows/application.ts): the names that network may have on the hosts (bridge, overlay). */
  const ownNetworkName = (owner: string): string[] => {
    const [app, network] = owner.split('/');
    return app && network ? [networkName(app, network), networkName(app, network, 'overlay')] : [owner];
  };

  return {
    /** The preflight's dry run: registered wherever placement is, since it asks the same workflow. */
    ...admissionActivities(temporal),
    /** Members' addresses: booked in the same workflow as their placement, so registered with it. */
    ...memberAddressActivities(temporal),

    async placeMembers(req: PlaceMembersInput): Promise<Assignment[]> {
      const { infrastructure, app, service, members, resources, placement, avoidHosts = [] } = req;
      const place = (spec: PlacementSpec | undefined, id: string) =>
        infra(infrastructure)
          .executeUpdate(placeContainersUpdate, { args: [{ app, service, members, ...placementOptions(resources, spec) }], updateId: id })
          .catch(notFound(infrastructure));
      // Each try has its own update id, so a retried activity gets each try's first answer again.
      let result = avoidHosts.length > 0 && placement ? await place(avoidingHosts(placement, avoidHosts), `${updateId()}/avoiding`) : undefined;
      if (!result?.ok) result = await place(placement, updateId());
      if (!result.ok) throw new PlacementRejectedError(infrastructure, result.reason);
      if (options.monitorHosts) {
        const taskQueue = Context.current().info.taskQueue;
        for (const hostId of new Set(result.assignments.map((a) => a.host.id))) await ensureHostMonitor(temporal, taskQueue, infrastructure, hostId);
      }
      return result.assignments;
    },

    /** A subnet for an application network: the blueprint's CIDR checked, or one carved from a pool. */
    /** `avoid`: subnets an engine refused for this owner a moment ago (another network took them), never handed out again. */
    async allocateNetworkSubnet(req: { infrastructure: string; owner: string; cidr?: string; avoid?: string[] }): Promise<SubnetInfo> {
      const { infrastructure, owner, cidr } = req;
      // Subnets the engines hold already are never handed out (Docker would answer "Pool overlaps").
      const listed = docker ? await subnetsInUse(docker, await liveHostEndpoints(infrastructure), ownNetworkName(owner)) : [];
      const inUse = [...listed, ...(req.avoid ?? []).filter((c) => !listed.some((l) => l.cidr === c)).map((c) => ({ cidr: c, by: 'a network on a host engine' }))];
      const request = { owner, ...(cidr ? { cidr } : {}), ...(inUse.length > 0 ? { inUse } : {}) };
      return infra(infrastructure)
        .executeUpdate(allocateSubnetUpdate, { args: [request], updateId: updateId() })
        .catch((err: unknown) => {
          // The validator refused it (overlap, outside every pool, pool full): a retry cannot help.
          if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(infrastructure, owner, err.cause?.message ?? err.message);
          return notFound(infrastructure)(err);
        });
    },

    async releaseNetworkSubnet(req: { infrastructure: string; owner: string }): Promise<void> {
      await infra(req.infrastructure)
        .executeUpdate(releaseSubnetUpdate, { args: [{ owner: req.owner }], updateId: updateId() })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // gone: it holds nothing
        });
    },

    /** The Docker engines of the infrastructure's hosts that take members (AVAILABLE or DRAINING); none if it is gone. */
    async liveHostEndpoints(req: { infrastructure: string }): Promise<DockerEndpoint[]> {
      return liveHostEndpoints(req.infrastructure);
    },

    /** How many hosts and spares the infrastructure has: networks that name no driver get one by it (domain/network/defaultDriver.ts). */
    async infrastructureShape(req: { infrastructure: string }): Promise<InfrastructureShape> {
      try {
        const view = await infra(req.infrastructure).query(infraStatusQuery);
        return { found: true, hosts: view.hosts.length, spares: view.spares?.length ?? 0 };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { found: false, hosts: 0, spares: 0 };
        throw err;
      }
    },

    /** Frees the service's bookings; an infrastructure that is gone holds none (0 released). */
    async releaseMembers(req: { infrastructure: string; app: string; service: string; members?: string[] }): Promise<number> {
      const { infrastructure, ...request } = req;
      const released = await infra(infrastructure)
        .executeUpdate(releaseContainersUpdate, { args: [request], updateId: updateId() })
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return 0;
          throw err;
        });
      // Their addresses are room too: given back in the same step (none held: nothing to do).
      await releaseMemberAddresses(temporal, req);
      return released;
    },
  };
}
