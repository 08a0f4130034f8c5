// Repairs the infrastructure's Docker swarm: observe (each engine's `docker info`, the node list on
// a live manager), plan (domain/infra/swarmPlan.ts), apply the first step, and look again, until
// the plan is empty. Each step is idempotent and decided on the swarm as it is after the one
// before, so a retried or repeated repair converges instead of repeating itself; Raft takes role
// changes one at a time, and a demotion is waited for until the node is out of Raft.
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { planSwarm, stepText, type EngineSwarm, type SwarmHost, type SwarmHostState, type SwarmNode, type SwarmPlan, type SwarmStep } from '../../domain/infra/swarmPlan';
import { whileBeating } from '../heartbeatTicker';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';

export interface SwarmRepairHost {
  id: string;
  address: string;
  docker: DockerEndpoint;
  state: SwarmHostState;
}

export interface SwarmRepairRequest {
  /** The infrastructure's hosts now (any status; FAILED engines are not asked). */
  hosts: SwarmRepairHost[];
  /** Hosts that left the infrastructure since the last repair: their nodes go, their engines leave when they answer. */
  removed: Omit<SwarmRepairHost, 'state'>[];
}

export interface SwarmRepairOutcome {
  /** False when no engine the infrastructure has is in a swarm (nothing was done). */
  inSwarm: boolean;
  /** The steps applied, in order, as text. */
  did: string[];
  /** Hosts whose nodes are managers at the end. */
  managers: string[];
  problems: string[];
}

/** An engine that does not answer within this is taken as not answering (a host whose link is down). */
const ENGINE_TIMEOUT_MS = 4_000;
/** How long a repair waits for Raft to finish a role change before it reports what is left. */
const SETTLE_MS = 60_000;
const MAX_STEPS = 40;

interface NodeInfo {
  ID: string;
  Version: { Index: number };
  Spec: { Role?: string; Availability?: string; Labels?: Record<string, string>; Name?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** The address an engine advertises to the swarm: its endpoint's host when it has one (as ensureSwarm joins it). */
const advertised = (h: Omit<SwarmRepairHost, 'state'>) => (h.docker.kind === 'tcp' ? h.docker.host : h.address);

function toNode(n: NodeInfo): SwarmNode {
  const availability = n.Spec.Availability === 'drain' || n.Spec.Availability === 'pause' ? n.Spec.Availability : 'active';
  return {
    id: n.ID,
    // A manager's Status.Addr may read 0.0.0.0; its Raft address names it.
    addr: n.Status?.Addr && n.Status.Addr !== '0.0.0.0' ? n.Status.Addr : (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, ''),
    role: n.Spec.Role === 'manager' ? 'manager' : 'worker',
    raftMember: n.ManagerStatus !== undefined,
    reachable: n.ManagerStatus?.Reachability === 'reachable',
    leader: n.ManagerStatus?.Leader === true,
    state: n.Status?.State ?? 'unknown',
    availability,
  };
}

export function swarmRepairActivities(dockerFor: DockerClientFactory) {
  const engine = (h: Omit<SwarmRepairHost, 'state'>) => ({ docker: dockerFor(h.docker), where: `${h.id} (${describeEndpoint(h.docker)})` });

  async function engineSwarm(h: Omit<SwarmRepairHost, 'state'>): Promise<(EngineSwarm & { control: boolean }) | undefined> {
    try {
      const { docker } = engine(h);
      // dockerode passes the signal on, though its types do not say so for info().
      const info = (await (docker.info as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>).call(docker, { abortSignal: AbortSignal.timeout(ENGINE_TIMEOUT_MS) })) as { Swarm?: { LocalNodeState?: string; NodeID?: string; ControlAvailable?: boolean } };
      const s = info.Swarm ?? {};
      return { localState: s.LocalNodeState ?? 'inactive', ...(s.NodeID ? { nodeId: s.NodeID } : {}), control: s.ControlAvailable === true };
    } catch {
      // Not answering is a fact the plan works with (a removed or dying engine), not a failure of the repair.
      return undefined;
    }
  }

  interface Observed {
    hosts: (SwarmHost & { endpoint: Omit<SwarmRepairHost, 'state'>; control: boolean })[];
    manager?: { docker: Docker; where: string; host: Omit<SwarmRepairHost, 'state'> };
    nodes: NodeInfo[];
  }

  async function observe(req: SwarmRepairRequest): Promise<Observed> {
    const all = [...req.hosts, ...req.removed.filter((r) => !req.hosts.some((h) => h.id === r.id)).map((r) => ({ ...r, state: 'removed' as const }))];
    const hosts = await Promise.all(
      all.map(async (h) => {
        const e = h.state === 'failed' ? undefined : await engineSwarm(h);
        const { control, ...swarm } = e ?? { control: false };
        return { id: h.id, address: advertised(h), state: h.state, ...(e ? { engine: swarm as EngineSwarm } : {}), endpoint: h, control };
      }),
    );
    // Live managers first: the one asked is not on its way out.
    const rank = (s: SwarmHostState) => ['live', 'draining', 'pending', 'removed'].indexOf(s);
    const candidates = hosts.filter((h) => h.control).sort((a, b) => rank(a.state) - rank(b.state));
    for (const c of candidates) {
      const m = engine(c.endpoint);
      try {
        const nodes = (await m.docker.listNodes({ abortSignal: AbortSignal.timeout(ENGINE_TIMEOUT_MS) })) as NodeInfo[];
        return { hosts, manager: { ...m, host: c.endpoint }, nodes };
      } catch {
        // A manager being demoted, or one that lost the leader: the next one may answer.
      }
    }
    return { hosts, nodes: [] };
  }

  async function nodeUpdate(docker: Docker, where: string, id: string, change: Partial<NodeInfo['Spec']>): Promise<void> {
    const node = docker.getNode(id);
    const current = (await node.inspect().catch((err: unknown) => Promise.reject(dockerError(where, `node inspect ${id}`, err)))) as NodeInfo;
    await node.update({ _query: { version: current.Version.Index }, _body: { ...current.Spec, ...change } }).catch((err: unknown) => Promise.reject(dockerError(where, `node update ${id}`, err)));
  }

  async function apply(step: SwarmStep, seen: Observed): Promise<void> {
    const manager = seen.manager!;
    const hostOf = (id: string) => seen.hosts.find((h) => h.id === id)!;
    switch (step.op) {
      case 'join': {
        const h = hostOf(step.host);
        const e = engine(h.endpoint);
        const swarm = (await manager.docker.swarmInspect().catch((err: unknown) => Promise.reject(dockerError(manager.where, 'swarm inspect', err)))) as { JoinTokens: { Manager: string; Worker: string } };
        const remote = `${advertised(manager.host)}:2377`;
        await e.docker
          .swarmJoin({ ListenAddr: `${h.address}:2377`, AdvertiseAddr: h.address, RemoteAddrs: [remote], JoinToken: step.role === 'manager' ? swarm.JoinTokens.Manager : swarm.JoinTokens.Worker })
          // 503 "already part of a swarm": an ensureSwarm beside this one joined it first.
          .catch((err: unknown) => (statusCodeOf(err) === 503 ? undefined : Promise.reject(dockerError(e.where, `swarm join ${remote}`, err))));
        return;
      }
      case 'leave': {
        const e = engine(hostOf(step.host).endpoint);
        // Forced: a worker needs no force, a stale engine stuck joining does. Not in a swarm (503/406): done already.
        await e.docker.swarmLeave({ force: true, abortSignal: AbortSignal.timeout(ENGINE_TIMEOUT_MS * 3) }).catch((err: unknown) => {
          const code = statusCodeOf(err);
          if (code === 503 || code === 406) return undefined;
          // A removed engine that stopped answering midway: its node is removed from the managers' side anyway.
          if (hostOf(step.host).state === 'removed') return undefined;
          return Promise.reject(dockerError(e.where, 'swarm leave', err));
        });
        return;
      }
      case 'promote':
      case 'demote':
        return nodeUpdate(manager.docker, manager.where, step.node, { Role: step.op === 'promote' ? 'manager' : 'worker' });
      case 'availability':
        return nodeUpdate(manager.docker, manager.where, step.node, { Availability: step.availability });
      case 'remove':
        await manager.docker
          .getNode(step.node)
          .remove({ force: true })
          .catch((err: unknown) => (statusCodeOf(err) === 404 ? undefined : Promise.reject(dockerError(manager.where, `node rm ${step.node}`, err))));
    }
  }

  return {
    /** Heartbeats throughout: a join or a Raft change may keep one step busy for a while. */
    repairSwarm: (req: SwarmRepairRequest): Promise<SwarmRepairOutcome> => whileBeating(() => repair(req)),
  };

  async function repair(req: SwarmRepairRequest): Promise<SwarmRepairOutcome> {
    const did: string[] = [];
    const settleBy = Date.now() + SETTLE_MS;
    let plan: SwarmPlan = { steps: [], waiting: [], problems: [] };
    let seen = await observe(req);
    if (!seen.hosts.some((h) => h.engine && h.engine.localState !== 'inactive')) return { inSwarm: false, did, managers: [], problems: [] };
    for (let i = 0; i < MAX_STEPS; i++) {
      if (!seen.manager) {
        plan = { steps: [], waiting: [], problems: ['no manager of the swarm answered'] };
        if (Date.now() > settleBy) break;
      } else {
        plan = planSwarm(seen.hosts, seen.nodes.map(toNode));
        const step = plan.steps[0];
        // The same step again right after it was applied: the swarm has not caught up yet; look again shortly.
        const repeated = step !== undefined && did.at(-1) === stepText(step);
        if (repeated && Date.now() > settleBy) {
          plan.problems.push(`${stepText(step)} did not take`);
          break;
        }
        if (step && !repeated) {
          await apply(step, seen);
          did.push(stepText(step));
          seen = await observe(req);
          continue;
        }
        if (!step && (plan.waiting.length === 0 || Date.now() > settleBy)) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      seen = await observe(req);
    }
    const nodes = seen.nodes.map(toNode);
    const managers = seen.hosts.filter((h) => nodes.some((n) => n.role === 'manager' && (n.id === h.engine?.nodeId || (!h.engine && n.addr === h.address)))).map((h) => h.id);
    return { inSwarm: true, did, managers, problems: [...plan.problems, ...plan.waiting] };
  }
}
