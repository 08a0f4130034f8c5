// Shared networks (`shared: true`) from the application's side: join (the subnet from the
// infrastructure's books, carved around what the engines hold), leave (the books say whether
// this was the last application), and, after the last, the network's removal from every host.
// On the hosts a shared network is the pseudo-application `clocker-shared`'s (its name and
// labels), so every application that names it adopts the same Docker network.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type Docker from 'dockerode';
import type { NetworkSpec } from '../../domain/blueprint/model';
import { SHARED_NETWORK_OWNER, type JoinResult, type LeaveResult } from '../../domain/ipam';
import { LABEL, networkName, workflowIds } from '../../domain/naming';
import { infraStatusQuery } from '../../workflows/messages';
import { joinSharedNetworkUpdate, leaveSharedNetworkUpdate } from '../../workflows/sharedNetworkMessages';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { dockerError, statusCodeOf } from '../docker/dockerErrors';
import { subnetsInUse } from '../docker/subnetsInUse';
import { InfrastructureNotFoundError, SubnetRejectedError } from '../errors';

export function sharedNetworkActivities(temporal: Client, dockerFor: DockerClientFactory) {
  const infra = (name: string) => temporal.workflow.getHandle(workflowIds.infrastructure(name));
  /** Stable per activity, so a retried activity gets the first attempt's answer. */
  const updateId = () => {
    const info = Context.current().info;
    return `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
  };
  const liveEngines = async (name: string) => {
    const view = await infra(name).query(infraStatusQuery);
    return view.hosts.filter((h) => h.status === 'AVAILABLE' || h.status === 'DRAINING').map((h) => h.docker);
  };

  return {
    async joinSharedNetwork(req: { infrastructure: string; app: string; network: string; cidr?: string }): Promise<JoinResult> {
      const own = [networkName(SHARED_NETWORK_OWNER, req.network), networkName(SHARED_NETWORK_OWNER, req.network, 'overlay')];
      const inUse = await subnetsInUse(dockerFor, await liveEngines(req.infrastructure).catch(() => []), own);
      return infra(req.infrastructure)
        .executeUpdate(joinSharedNetworkUpdate, { args: [{ network: req.network, app: req.app, ...(req.cidr ? { cidr: req.cidr } : {}), ...(inUse.length > 0 ? { inUse } : {}) }], updateId: updateId() })
        .catch((err: unknown) => {
          if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(req.infrastructure, `shared network ${req.network}`, err.cause?.message ?? err.message);
          if (err instanceof WorkflowNotFoundError) throw new InfrastructureNotFoundError(req.infrastructure);
          throw err;
        });
    },

    /** An infrastructure that is gone holds no books: nobody is left. */
    async leaveSharedNetwork(req: { infrastructure: string; app: string; network: string }): Promise<LeaveResult> {
      return infra(req.infrastructure)
        .executeUpdate(leaveSharedNetworkUpdate, { args: [{ network: req.network, app: req.app }], updateId: updateId() })
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return { members: [] };
          throw err;
        });
    },

    /** After the last application left: the network goes from every live host (a swarm network from a manager). Returns where it went. */
    async removeSharedNetwork(req: { infrastructure: string; network: Pick<NetworkSpec, 'id' | 'driver'> }): Promise<string[]> {
      const removed: string[] = [];
      for (const endpoint of await liveEngines(req.infrastructure)) {
        const docker = dockerFor(endpoint);
        const where = describeEndpoint(endpoint);
        const filters = { label: [`${LABEL.app}=${SHARED_NETWORK_OWNER}`, `${LABEL.network}=${req.network.id}`, `${LABEL.managed}=true`] };
        const networks = await docker.listNetworks({ filters }).catch((err: unknown) => Promise.reject(dockerError(where, 'list networks', err)));
        for (const n of networks) {
          if (n.Scope === 'swarm' && !(await isManager(docker, where))) continue;
          try {
            await docker.getNetwork(n.Id).remove();
            removed.push(`${n.Name} on ${where}`);
          } catch (err) {
            // Gone already (another manager's sweep: 404 or the swarm's 500 "not found").
            const message = (err as { json?: { message?: string } | null } | null)?.json?.message ?? '';
            if (statusCodeOf(err) === 404 || /not found/i.test(message)) continue;
            throw dockerError(where, `remove shared network ${n.Name}`, err);
          }
        }
      }
      return removed;
    },
  };
}

async function isManager(docker: Docker, where: string): Promise<boolean> {
  const info = (await docker.info().catch((err: unknown) => Promise.reject(dockerError(where, 'docker info', err)))) as { Swarm?: { ControlAvailable?: boolean } };
  return info.Swarm?.ControlAvailable === true;
}
