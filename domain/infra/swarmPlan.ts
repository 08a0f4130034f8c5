// The infrastructure's Docker swarm, repaired: given the nodes as a manager lists them and the
// infrastructure's hosts (each engine's own `docker info` where it answers), the steps that bring
// membership back in line with the hosts. Pure; the repair activity observes, asks for the plan,
// applies the first step and asks again (activities/docker/swarmRepair.ts), so each step is
// decided on what the swarm is after the one before.
//
// Priorities, in the order the steps come out:
//   1. Raft first: managers that cannot vote any more (a failed host, a removed or stale node)
//      are demoted while the reachable managers still make a quorum without them.
//   2. Live hosts outside the swarm join (as managers while the live count wants more).
//   3. Live workers are promoted up to managerCount(live hosts); draining or removed hosts'
//      managers are demoted once replacements are there; live managers beyond the count go.
//   4. Availability: drain for draining hosts, active again for live ones.
//   5. Nodes of removed hosts (their engines leave first when they answer), and dead nodes of
//      no host, are removed once they are workers.
// A swarm that lost its quorum is not touched: that takes `--force-new-cluster`, an operator's call.

/** Raft managers for a pool of `hosts` live engines: 1, 3 or 5 (an odd quorum). */
export function managerCount(hosts: number): number {
  return hosts >= 5 ? 5 : hosts >= 3 ? 3 : 1;
}

/** live: AVAILABLE; draining: leaving soon; failed: down, may come back; removed: gone for good; pending: provisioning. */
export type SwarmHostState = 'live' | 'draining' | 'failed' | 'removed' | 'pending';

/** An engine's own view (`docker info` .Swarm); absent when the engine did not answer. */
export interface EngineSwarm {
  /** inactive | pending | active | error | locked */
  localState: string;
  nodeId?: string;
}

export interface SwarmHost {
  id: string;
  /** The address the engine advertises to the swarm (a node's Status.Addr). */
  address: string;
  state: SwarmHostState;
  engine?: EngineSwarm;
}

export interface SwarmNode {
  id: string;
  /** Status.Addr */
  addr: string;
  /** Spec.Role: what the swarm wants it to be. */
  role: 'manager' | 'worker';
  /** A Raft member now (ManagerStatus present); lags `role` while a promotion or demotion is under way. */
  raftMember: boolean;
  /** ManagerStatus.Reachability === 'reachable' */
  reachable: boolean;
  leader: boolean;
  /** Status.State: ready | down | unknown | disconnected */
  state: string;
  /** Spec.Availability */
  availability: 'active' | 'pause' | 'drain';
}

export type SwarmStep =
  | { op: 'join'; host: string; role: 'manager' | 'worker'; cause: string }
  | { op: 'leave'; host: string; cause: string }
  | { op: 'promote' | 'demote' | 'remove'; node: string; host?: string; cause: string }
  | { op: 'availability'; node: string; host?: string; availability: 'active' | 'drain'; cause: string };

export interface SwarmPlan {
  steps: SwarmStep[];
  /** Changes under way that a later look should find done (a demotion not yet out of Raft). */
  waiting: string[];
  /** What the plan cannot fix. */
  problems: string[];
}

interface Owned {
  node: SwarmNode;
  host?: SwarmHost;
  /** The host's current node (not an earlier incarnation of it). */
  current: boolean;
}

/** Which host each node is: by the engine's own node id, else by address (an engine that does not answer). */
function ownership(hosts: readonly SwarmHost[], nodes: readonly SwarmNode[]): Owned[] {
  return nodes.map((node) => {
    const byId = hosts.find((h) => h.engine?.nodeId === node.id);
    if (byId) return { node, host: byId, current: true };
    const byAddr = hosts.find((h) => h.address === node.addr);
    // An engine that answers with another node id (or none) left this node behind.
    return { node, ...(byAddr ? { host: byAddr } : {}), current: byAddr !== undefined && byAddr.engine === undefined };
  });
}

const quorum = (members: number) => Math.floor(members / 2) + 1;
const label = (o: Owned) => (o.host ? `${o.host.id}'s node ${o.node.id}` : `node ${o.node.id} (${o.node.addr})`);
const hostOf = (o: Owned) => (o.host ? { host: o.host.id } : {});

export function planSwarm(hosts: readonly SwarmHost[], nodes: readonly SwarmNode[]): SwarmPlan {
  const waiting: string[] = [];
  const problems: string[] = [];
  const members = nodes.filter((n) => n.raftMember);
  const reachable = members.filter((n) => n.reachable);
  if (members.length > 0 && reachable.length < quorum(members.length)) {
    problems.push(`the swarm lost its quorum: ${reachable.length} of ${members.length} managers reachable; it needs \`docker swarm init --force-new-cluster\` on a live manager`);
    return { steps: [], waiting, problems };
  }
  const owned = ownership(hosts, nodes);
  const live = hosts.filter((h) => h.state === 'live');
  const wanted = Math.min(managerCount(live.length), live.length);
  const isKeeper = (o: Owned) => o.current && o.host?.state === 'live' && o.node.role === 'manager';
  // Removing a Raft member keeps the quorum when the reachable ones left are enough for the smaller set.
  const canDrop = (n: SwarmNode) => (n.reachable && n.raftMember ? reachable.length - 1 : reachable.length) >= quorum(members.length - (n.raftMember ? 1 : 0));

  // 1. Managers that cannot vote: demoted first, each while the quorum holds without it.
  // A manager of no host that is up is someone else's to decide about: left alone.
  const goners = owned.filter((o) => o.node.role === 'manager' && !isKeeper(o) && (o.host || !o.node.reachable || o.node.state !== 'ready'));
  const steps: SwarmStep[] = [];
  const demote = (o: Owned, cause: string) => {
    if (canDrop(o.node)) steps.push({ op: 'demote', node: o.node.id, ...hostOf(o), cause });
    // Raft takes one change at a time: the next look decides this one on the smaller set.
    else if (steps.some((s) => s.op === 'demote')) waiting.push(`${label(o)} is demoted after the managers before it (${cause})`);
    else problems.push(`${label(o)} is a manager to demote (${cause}), but the others would lose their quorum`);
  };
  for (const o of goners.filter((g) => !g.node.reachable || g.node.state !== 'ready')) demote(o, whyGone(o));

  // 2. Live hosts outside the swarm join; one in another swarm (or a left-behind one) leaves first.
  let deficit = wanted - owned.filter(isKeeper).length;
  const known = new Set(nodes.map((n) => n.id));
  for (const h of live) {
    if (!h.engine) {
      if (!owned.some((o) => o.host === h)) problems.push(`${h.id}'s engine did not answer and the swarm has no node of it: it joins on a later repair`);
      continue;
    }
    if (h.engine.localState === 'inactive') {
      const role = deficit > 0 ? 'manager' : 'worker';
      steps.push({ op: 'join', host: h.id, role, cause: 'a live host outside the swarm' });
      if (role === 'manager') deficit--;
    } else if (!h.engine.nodeId || !known.has(h.engine.nodeId)) {
      steps.push({ op: 'leave', host: h.id, cause: `its engine is in a swarm (${h.engine.localState}) the managers do not list it in` });
    }
  }

  // 3. Promotions up to the count, then reachable non-keepers and surplus live managers go.
  const workers = owned.filter((o) => o.current && o.host?.state === 'live' && o.node.role === 'worker' && o.node.state === 'ready');
  for (const o of workers.slice(0, Math.max(0, deficit))) steps.push({ op: 'promote', node: o.node.id, ...hostOf(o), cause: `${wanted} managers for ${live.length} live hosts` });
  for (const o of goners.filter((g) => g.node.reachable && g.node.state === 'ready')) demote(o, whyGone(o));
  if (deficit < 0) {
    // Surplus from the end of the host order, the leader last (demoting it forces an election).
    const surplus = owned.filter(isKeeper).sort((a, b) => Number(a.node.leader) - Number(b.node.leader) || live.indexOf(b.host!) - live.indexOf(a.host!));
    for (const o of surplus.slice(0, -deficit)) demote(o, `${wanted} managers for ${live.length} live hosts`);
  }

  // 4. Availability follows the host.
  for (const o of owned.filter((x) => x.current && x.host)) {
    if (o.host!.state === 'draining' && o.node.availability !== 'drain') steps.push({ op: 'availability', node: o.node.id, host: o.host!.id, availability: 'drain', cause: 'the host is draining' });
    if (o.host!.state === 'live' && o.node.availability !== 'active') steps.push({ op: 'availability', node: o.node.id, host: o.host!.id, availability: 'active', cause: 'the host is live again' });
  }

  // 5. Nodes to remove: once out of Raft; a removed engine that answers leaves first.
  for (const o of owned) {
    const removed = o.host?.state === 'removed';
    const dead = !removed && !o.current && o.node.state !== 'ready';
    if (!removed && !dead) continue;
    if (o.node.role === 'manager') continue; // demoted above, or a problem said why not
    if (o.node.raftMember) {
      waiting.push(`${label(o)} is demoted but still a Raft member`);
      continue;
    }
    if (removed && o.host!.engine && o.host!.engine.localState !== 'inactive' && o.host!.engine.nodeId === o.node.id) {
      steps.push({ op: 'leave', host: o.host!.id, cause: 'the host was removed from the infrastructure' });
      continue;
    }
    steps.push({ op: 'remove', node: o.node.id, ...hostOf(o), cause: removed ? 'the host was removed from the infrastructure' : o.host ? `left behind by ${o.host.id}, which is in the swarm as another node or not at all` : 'down, and no host of the infrastructure' });
  }
  return { steps, waiting, problems };
}

function whyGone(o: Owned): string {
  if (!o.host) return 'no host of the infrastructure';
  if (!o.current) return `left behind by ${o.host.id}`;
  return { failed: 'the host failed', removed: 'the host was removed', draining: 'the host is draining', pending: 'the host is being provisioned', live: 'a surplus manager' }[o.host.state];
}

/** One line per step, as the activity reports what it did. */
export function stepText(step: SwarmStep): string {
  switch (step.op) {
    case 'join':
      return `${step.host} joins as ${step.role} (${step.cause})`;
    case 'leave':
      return `${step.host}'s engine leaves the swarm (${step.cause})`;
    case 'availability':
      return `${step.host ?? step.node} availability ${step.availability} (${step.cause})`;
    default:
      return `${step.op} ${step.host ?? step.node} (${step.cause})`;
  }
}
