// The infrastructure's Docker swarm, which overlay networks need: formed on demand by the first
// application that declares an overlay network, and topped up by later ones (ensureSwarm is
// idempotent: each engine's `docker info` says whether it is in the swarm already).
//
// Managers by pool size, as Raft wants an odd number: 1 for one or two hosts, 3 for three or
// four, 5 from five on. The first host (in the order the infrastructure lists them) starts the
// swarm when no host is in one; the others join with the manager or worker token. Two callers
// racing both pick the same first host, so the loser's init is answered "already part of a
// swarm" and it reads the swarm as it now is.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type Docker from 'dockerode';
import { managerCount } from '../../domain/infra/swarmPlan';
import type { DockerEndpoint } from '../../domain/infra/model';
import { workflowIds } from '../../domain/naming';
import { swarmInUseSignal } from '../../workflows/swarmMessages';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';

// Raft managers for a pool of engines: the swarm repair (swarmRepair.ts) counts by the same rule.
export { managerCount } from '../../domain/infra/swarmPlan';

interface SwarmInfo {
  LocalNodeState?: string;
  NodeID?: string;
  ControlAvailable?: boolean;
  RemoteManagers?: { NodeID: string; Addr: string }[] | null;
}

export interface SwarmOutcome {
  /** A manager's endpoint: overlay networks are created there. */
  manager: DockerEndpoint;
  /** Engines that started or joined the swarm in this call, as "role endpoint". */
  joined: string[];
}

/** The address the engine advertises to its peers: the host the endpoint names, when it names one. */
function advertiseAddress(endpoint: DockerEndpoint): string | undefined {
  return endpoint.kind === 'tcp' ? endpoint.host : undefined;
}

async function swarmInfo(docker: Docker, where: string): Promise<SwarmInfo> {
  const info = (await docker.info().catch((err: unknown) => Promise.reject(dockerError(where, 'docker info', err)))) as { Swarm?: SwarmInfo };
  return info.Swarm ?? {};
}

/**
 * `temporal`: to tell the infrastructure its engines are in a swarm, so it repairs the swarm as
 * hosts change (workflows/infraSwarm.ts). Absent (tests of the engine side alone): not told.
 */
export function swarmActivities(dockerFor: DockerClientFactory, temporal?: Client) {
  return {
    /** `infrastructure`: whose hosts these are (callers before it did not say; their infrastructure is told by a later call). */
    async ensureSwarm({ hosts, infrastructure }: { hosts: DockerEndpoint[]; infrastructure?: string }): Promise<SwarmOutcome> {
      const outcome = await ensure(dockerFor, hosts);
      if (infrastructure && temporal) {
        await temporal.workflow
          .getHandle(workflowIds.infrastructure(infrastructure))
          .signal(swarmInUseSignal)
          .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
      }
      return outcome;
    },
  };
}

async function ensure(dockerFor: DockerClientFactory, hosts: DockerEndpoint[]): Promise<SwarmOutcome> {
  if (hosts.length === 0) throw new Error('ensureSwarm: no host to form a swarm on');
  const engines = hosts.map((endpoint) => ({ endpoint, docker: dockerFor(endpoint), where: describeEndpoint(endpoint) }));
  const states = await Promise.all(engines.map((e) => swarmInfo(e.docker, e.where)));
  const joined: string[] = [];
  let managerIndex = states.findIndex((s) => s.LocalNodeState === 'active' && s.ControlAvailable);
  if (managerIndex < 0) {
    const first = engines[0]!;
    const addr = advertiseAddress(first.endpoint);
    try {
      await first.docker.swarmInit({ ListenAddr: addr ? `${addr}:2377` : '0.0.0.0:2377', ...(addr ? { AdvertiseAddr: addr } : {}) });
      joined.push(`manager ${first.where}`);
    } catch (err) {
      // 503 "already part of a swarm": another caller won the race; read what it made.
      if (statusCodeOf(err) !== 503) throw dockerError(first.where, 'swarm init', err);
    }
    states[0] = await swarmInfo(first.docker, first.where);
    if (!states[0].ControlAvailable) throw dockerError(first.where, 'swarm init', new Error(`the engine is not a swarm manager after init (state ${states[0].LocalNodeState})`));
    managerIndex = 0;
  }
  const manager = engines[managerIndex]!;
  const swarm = (await manager.docker.swarmInspect().catch((err: unknown) => Promise.reject(dockerError(manager.where, 'swarm inspect', err)))) as {
    JoinTokens: { Manager: string; Worker: string };
  };
  const managerAddr = advertiseAddress(manager.endpoint);
  const remote = managerAddr ? `${managerAddr}:2377` : (states[managerIndex]!.RemoteManagers?.[0]?.Addr ?? '');
  let managers = states.filter((s) => s.LocalNodeState === 'active' && s.ControlAvailable).length;
  const wanted = managerCount(engines.length);
  // One at a time: a Raft cluster takes new managers one by one.
  for (let i = 0; i < engines.length; i++) {
    if (states[i]!.LocalNodeState === 'active') continue;
    const e = engines[i]!;
    const asManager = managers < wanted;
    const addr = advertiseAddress(e.endpoint);
    try {
      await e.docker.swarmJoin({
        ListenAddr: addr ? `${addr}:2377` : '0.0.0.0:2377',
        ...(addr ? { AdvertiseAddr: addr } : {}),
        RemoteAddrs: [remote],
        JoinToken: asManager ? swarm.JoinTokens.Manager : swarm.JoinTokens.Worker,
      });
    } catch (err) {
      if (statusCodeOf(err) !== 503) throw dockerError(e.where, `swarm join ${remote}`, err);
    }
    if (asManager) managers++;
    joined.push(`${asManager ? 'manager' : 'worker'} ${e.where}`);
  }
  return { manager: manager.endpoint, joined };
}
