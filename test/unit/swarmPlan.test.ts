// The swarm repair planner: what a manager's node list and the infrastructure's hosts make it do,
// step by step, and what it refuses (a demotion that would cost the quorum).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { managerCount, planSwarm, stepText, type SwarmHost, type SwarmHostState, type SwarmNode } from '../../domain/infra/swarmPlan';

const addr = (id: string) => `10.0.0.${id.slice(1)}`;
/** A host whose engine answers as node n<i> in the swarm (or `engine: null`: it did not answer). */
function host(id: string, state: SwarmHostState, engine: SwarmHost['engine'] | null = { localState: 'active', nodeId: `n${id.slice(1)}` }): SwarmHost {
  return { id, address: addr(id), state, ...(engine ? { engine } : {}) };
}
function node(id: string, over: Partial<SwarmNode> = {}): SwarmNode {
  const manager = over.role === 'manager';
  return { id, addr: addr(`h${id.slice(1)}`), role: 'worker', raftMember: manager, reachable: manager, leader: false, state: 'ready', availability: 'active', ...over };
}
const manager = (id: string, over: Partial<SwarmNode> = {}) => node(id, { role: 'manager', ...over });
const down = { state: 'down', reachable: false } as const;
const texts = (hosts: SwarmHost[], nodes: SwarmNode[]) => planSwarm(hosts, nodes).steps.map(stepText);

test('managers by live pool size: 1, 3 or 5', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(managerCount), [1, 1, 1, 3, 3, 5, 5]);
});

test('a swarm that matches its hosts needs nothing', () => {
  const plan = planSwarm([host('h1', 'live'), host('h2', 'live'), host('h3', 'live'), host('h4', 'live')], [manager('n1', { leader: true }), manager('n2'), manager('n3'), node('n4')]);
  assert.deepEqual(plan, { steps: [], waiting: [], problems: [] });
});

test('a removed manager host: a live worker is promoted before it is demoted; then its engine leaves and its node goes', () => {
  const hosts = [host('h1', 'live'), host('h2', 'removed'), host('h3', 'live'), host('h4', 'live')];
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3'), node('n4')]), [
    'promote h4 (3 managers for 3 live hosts)',
    'demote h2 (the host was removed)',
  ]);
  // Demoted, but Raft has not let it go yet: nothing to remove until it has.
  const lagging = planSwarm(hosts, [manager('n1', { leader: true }), node('n2', { raftMember: true, reachable: true }), manager('n3'), manager('n4')]);
  assert.deepEqual(lagging.steps, []);
  assert.deepEqual(lagging.waiting, ["h2's node n2 is demoted but still a Raft member"]);
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), node('n2'), manager('n3'), manager('n4')]), ["h2's engine leaves the swarm (the host was removed from the infrastructure)"]);
  const left = [host('h1', 'live'), host('h2', 'removed', { localState: 'inactive' }), host('h3', 'live'), host('h4', 'live')];
  assert.deepEqual(texts(left, [manager('n1', { leader: true }), node('n2', { state: 'down' }), manager('n3'), manager('n4')]), ['remove h2 (the host was removed from the infrastructure)']);
});

test('a removed host whose engine does not answer: its node is demoted and removed by the managers alone', () => {
  const hosts = [host('h1', 'live'), host('h2', 'live'), host('h3', 'removed', null)];
  // Two live hosts want one manager: the dead one goes first, then the surplus live one (not the leader).
  const first = planSwarm(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3', down)]);
  assert.deepEqual(first.steps.map(stepText), ['demote h3 (the host was removed)']);
  assert.deepEqual(first.waiting, ["h2's node n2 is demoted after the managers before it (1 managers for 2 live hosts)"]);
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), manager('n2'), node('n3', { state: 'down' })]), ['demote h2 (1 managers for 2 live hosts)', 'remove h3 (the host was removed from the infrastructure)']);
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), node('n2'), node('n3', { state: 'down' })]), ['remove h3 (the host was removed from the infrastructure)']);
});

test('a failed manager is demoted and a live worker promoted, so three of four hosts keep three managers', () => {
  const hosts = [host('h1', 'live'), host('h2', 'live'), host('h3', 'failed', null), host('h4', 'live')];
  const plan = planSwarm(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3', down), node('n4')]);
  assert.deepEqual(plan.steps.map(stepText), ['demote h3 (the host failed)', 'promote h4 (3 managers for 3 live hosts)']);
  // A failed worker stays a node: when the host comes back it is in the swarm already.
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), manager('n2'), node('n3', { state: 'down' }), manager('n4')]), []);
});

test('a swarm without its quorum is left alone, with the reason', () => {
  const hosts = [host('h1', 'live'), host('h2', 'failed', null), host('h3', 'failed', null)];
  const plan = planSwarm(hosts, [manager('n1'), manager('n2', down), manager('n3', down)]);
  assert.deepEqual(plan.steps, []);
  assert.deepEqual(plan.problems, ['the swarm lost its quorum: 1 of 3 managers reachable; it needs `docker swarm init --force-new-cluster` on a live manager']);
});

test('a demotion that would cost the quorum is refused with the reason', () => {
  // h3's engine does not answer (not failed yet), so h2 (draining) must stay a manager until h4 is one.
  const hosts = [host('h1', 'live'), host('h2', 'draining'), host('h3', 'live', null), host('h4', 'live')];
  const plan = planSwarm(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3', down), node('n4')]);
  assert.deepEqual(plan.steps.map(stepText), ['promote h4 (3 managers for 3 live hosts)', 'h2 availability drain (the host is draining)']);
  assert.deepEqual(plan.problems, ["h2's node n2 is a manager to demote (the host is draining), but the others would lose their quorum"]);
  // Once h4 votes, h2 can go.
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3', down), manager('n4')]), ['demote h2 (the host is draining)', 'h2 availability drain (the host is draining)']);
});

test('live hosts outside the swarm join, as managers while the count wants more, then as workers', () => {
  const hosts = [host('h1', 'live'), host('h2', 'live'), host('h3', 'live', { localState: 'inactive' }), host('h4', 'live', { localState: 'inactive' })];
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), node('n2')]), [
    'h3 joins as manager (a live host outside the swarm)',
    'h4 joins as manager (a live host outside the swarm)',
  ]);
  const four = [host('h1', 'live'), host('h2', 'live'), host('h3', 'live'), host('h4', 'live'), host('h5', 'live', { localState: 'inactive' })];
  assert.deepEqual(texts(four, [manager('n1', { leader: true }), manager('n2'), manager('n3'), node('n4')]), [
    'h5 joins as manager (a live host outside the swarm)',
    'promote h4 (5 managers for 5 live hosts)',
  ]);
  // A fourth host beside three managers joins as a worker.
  assert.deepEqual(texts(four.slice(1), [manager('n2', { leader: true }), manager('n3'), manager('n4')]), ['h5 joins as worker (a live host outside the swarm)']);
});

test('an engine in a swarm the managers do not list leaves first; a node it left behind is removed', () => {
  const hosts = [host('h1', 'live'), host('h2', 'live', { localState: 'pending', nodeId: 'n2b' })];
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), node('n2', { state: 'down' })]), [
    "h2's engine leaves the swarm (its engine is in a swarm (pending) the managers do not list it in)",
    'remove h2 (left behind by h2, which is in the swarm as another node or not at all)',
  ]);
});

test('draining hosts are set to drain and give up their manager role; live ones are active again', () => {
  const hosts = [host('h1', 'live'), host('h2', 'draining'), host('h3', 'live'), host('h4', 'live')];
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), manager('n2'), manager('n3'), node('n4', { availability: 'drain' })]), [
    'promote h4 (3 managers for 3 live hosts)',
    'demote h2 (the host is draining)',
    'h2 availability drain (the host is draining)',
    'h4 availability active (the host is live again)',
  ]);
});

test("a node of no host: removed when down, left alone when up (not the infrastructure's to judge)", () => {
  const hosts = [host('h1', 'live')];
  assert.deepEqual(texts(hosts, [manager('n1', { leader: true }), node('n9', { state: 'down', addr: '192.0.2.9' }), node('n8', { addr: '192.0.2.8' })]), ['remove n9 (down, and no host of the infrastructure)']);
});

test('pending hosts (provisioning) are neither joined nor counted', () => {
  const hosts = [host('h1', 'live'), host('h2', 'pending', null)];
  assert.deepEqual(planSwarm(hosts, [manager('n1', { leader: true })]).steps, []);
});
