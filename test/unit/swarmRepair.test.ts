// repairSwarm against a fake swarm that keeps its nodes (Raft changes take effect at once): what
// it applies for a failed manager, a removed host and a new one, and that a second repair of a
// repaired swarm changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type Docker from 'dockerode';
import { swarmRepairActivities, type SwarmRepairHost, type SwarmRepairOutcome, type SwarmRepairRequest } from '../../activities/docker/swarmRepair';
import type { DockerEndpoint } from '../../domain/infra/model';

interface FakeNode {
  addr: string;
  role: 'manager' | 'worker';
  availability: string;
  version: number;
}

/** Engines by address; `nodes` is the swarm's list as any manager serves it. */
function fakeSwarm(hosts: Record<string, { up: boolean; in: 'manager' | 'worker' | 'out' }>) {
  const nodes = new Map<string, FakeNode>();
  const up = new Map<string, boolean>();
  const nodeOf = new Map<string, string>();
  const calls: string[] = [];
  for (const [addr, h] of Object.entries(hosts)) {
    up.set(addr, h.up);
    if (h.in !== 'out') {
      nodes.set(`n-${addr}`, { addr, role: h.in, availability: 'active', version: 1 });
      nodeOf.set(addr, `n-${addr}`);
    }
  }
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const dockerFor = (endpoint: DockerEndpoint) => {
    const addr = endpoint.kind === 'tcp' ? endpoint.host : '';
    const mine = () => nodes.get(nodeOf.get(addr) ?? '');
    const alive = () => (up.get(addr) ? Promise.resolve() : Promise.reject(refused()));
    const nodeView = (id: string, n: FakeNode) => ({
      ID: id,
      Version: { Index: n.version },
      Spec: { Role: n.role, Availability: n.availability },
      Status: { State: up.get(n.addr) ? 'ready' : 'down', Addr: n.addr },
      ...(n.role === 'manager' ? { ManagerStatus: { Reachability: up.get(n.addr) ? 'reachable' : 'unreachable', Addr: `${n.addr}:2377` } } : {}),
    });
    return {
      info: async () => alive().then(() => ({ Swarm: { LocalNodeState: mine() ? 'active' : 'inactive', NodeID: nodeOf.get(addr) ?? '', ControlAvailable: mine()?.role === 'manager' } })),
      listNodes: async () => alive().then(() => [...nodes].map(([id, n]) => nodeView(id, n))),
      swarmInspect: async () => ({ JoinTokens: { Manager: 'MGR', Worker: 'WRK' } }),
      swarmJoin: async (opts: { JoinToken: string; AdvertiseAddr: string }) => {
        await alive();
        calls.push(`join ${addr} ${opts.JoinToken}`);
        nodes.set(`n-${addr}`, { addr, role: opts.JoinToken === 'MGR' ? 'manager' : 'worker', availability: 'active', version: 1 });
        nodeOf.set(addr, `n-${addr}`);
      },
      swarmLeave: async () => {
        await alive();
        calls.push(`leave ${addr}`);
        nodeOf.delete(addr);
      },
      getNode: (id: string) => ({
        inspect: async () => nodeView(id, nodes.get(id)!),
        update: async (opts: { _query: { version: number }; _body: { Role: 'manager' | 'worker'; Availability: string } }) => {
          const n = nodes.get(id)!;
          assert.equal(opts._query.version, n.version, 'updates carry the version read');
          calls.push(`update ${n.addr} ${opts._body.Role}/${opts._body.Availability}`);
          Object.assign(n, { role: opts._body.Role, availability: opts._body.Availability, version: n.version + 1 });
        },
        remove: async (opts: { force: boolean }) => {
          calls.push(`rm ${nodes.get(id)?.addr} force=${opts.force}`);
          nodes.delete(id);
        },
      }),
    } as unknown as Docker;
  };
  const repair = (req: SwarmRepairRequest) => new MockActivityEnvironment().run(swarmRepairActivities(dockerFor).repairSwarm, req) as Promise<SwarmRepairOutcome>;
  return { nodes, up, calls, repair };
}

const host = (i: number, state: SwarmRepairHost['state']): SwarmRepairHost => ({ id: `h${i}`, address: `10.0.0.${i}`, docker: { kind: 'tcp', host: `10.0.0.${i}`, port: 2376 }, state });

test('a failed manager is demoted and the live worker promoted; a second repair does nothing', async () => {
  const swarm = fakeSwarm({ '10.0.0.1': { up: true, in: 'manager' }, '10.0.0.2': { up: true, in: 'manager' }, '10.0.0.3': { up: false, in: 'manager' }, '10.0.0.4': { up: true, in: 'worker' } });
  const req = { hosts: [host(1, 'live'), host(2, 'live'), host(3, 'failed'), host(4, 'live')], removed: [] };
  const first = await swarm.repair(req);
  assert.deepEqual(first, { inSwarm: true, did: ['demote h3 (the host failed)', 'promote h4 (3 managers for 3 live hosts)'], managers: ['h1', 'h2', 'h4'], problems: [] });
  assert.deepEqual(swarm.calls, ['update 10.0.0.3 worker/active', 'update 10.0.0.4 manager/active']);
  const again = await swarm.repair(req);
  assert.deepEqual(again.did, []);
});

test('a removed manager host: a new host joins as the third manager, the removed one is demoted, its engine leaves, its node goes', async () => {
  const swarm = fakeSwarm({ '10.0.0.1': { up: true, in: 'manager' }, '10.0.0.2': { up: true, in: 'manager' }, '10.0.0.3': { up: true, in: 'manager' }, '10.0.0.4': { up: true, in: 'worker' }, '10.0.0.5': { up: true, in: 'out' } });
  const { state: _s, ...gone } = host(2, 'removed');
  const outcome = await swarm.repair({ hosts: [host(1, 'live'), host(3, 'live'), host(4, 'live'), host(5, 'live')], removed: [gone] });
  assert.deepEqual(outcome.did, [
    'h5 joins as manager (a live host outside the swarm)',
    'demote h2 (the host was removed)',
    "h2's engine leaves the swarm (the host was removed from the infrastructure)",
    'remove h2 (the host was removed from the infrastructure)',
  ]);
  assert.deepEqual(outcome.managers, ['h1', 'h3', 'h5']);
  assert.deepEqual(swarm.calls, ['join 10.0.0.5 MGR', 'update 10.0.0.2 worker/active', 'leave 10.0.0.2', 'rm 10.0.0.2 force=true']);
  assert.ok(![...swarm.nodes.values()].some((n) => n.addr === '10.0.0.2'));
});

test('an infrastructure whose engines are in no swarm: nothing is asked of a manager', async () => {
  const swarm = fakeSwarm({ '10.0.0.1': { up: true, in: 'out' }, '10.0.0.2': { up: true, in: 'out' } });
  assert.deepEqual(await swarm.repair({ hosts: [host(1, 'live'), host(2, 'live')], removed: [] }), { inSwarm: false, did: [], managers: [], problems: [] });
  assert.deepEqual(swarm.calls, []);
});
