// ensureSwarm against fake engines that keep their swarm state: who inits, who joins with which
// token, and that a second call changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { swarmActivities } from '../../activities/docker/swarm';

interface FakeEngine {
  state: 'inactive' | 'active';
  manager: boolean;
  calls: string[];
}

function fakeCluster(n: number, active: number[] = []) {
  const engines = new Map<string, FakeEngine>();
  const endpoints: DockerEndpoint[] = [];
  for (let i = 1; i <= n; i++) {
    const host = `10.0.0.${i}`;
    endpoints.push({ kind: 'tcp', host, port: 2375 });
    engines.set(host, { state: active.includes(i) ? 'active' : 'inactive', manager: active.includes(i), calls: [] });
  }
  const dockerFor = (endpoint: DockerEndpoint) => {
    const e = engines.get(endpoint.kind === 'tcp' ? endpoint.host : '')!;
    return {
      info: async () => ({ Swarm: { LocalNodeState: e.state, ControlAvailable: e.manager, NodeID: e.state === 'active' ? 'n' : '' } }),
      swarmInit: async (opts: { AdvertiseAddr?: string }) => {
        if (e.state === 'active') throw Object.assign(new Error('This node is already part of a swarm'), { statusCode: 503 });
        e.calls.push(`init ${opts.AdvertiseAddr}`);
        e.state = 'active';
        e.manager = true;
      },
      swarmInspect: async () => ({ JoinTokens: { Manager: 'MGR', Worker: 'WRK' } }),
      swarmJoin: async (opts: { JoinToken: string; RemoteAddrs: string[] }) => {
        e.calls.push(`join ${opts.JoinToken} via ${opts.RemoteAddrs.join(',')}`);
        e.state = 'active';
        e.manager = opts.JoinToken === 'MGR';
      },
    } as unknown as Docker;
  };
  return { engines, endpoints, ensureSwarm: swarmActivities(dockerFor).ensureSwarm };
}

const calls = (engines: Map<string, FakeEngine>) => [...engines.values()].map((e) => e.calls.join('; '));

test('no swarm yet: the first host starts it; on 4 hosts two more join as managers and one as a worker', async () => {
  const { engines, endpoints, ensureSwarm } = fakeCluster(4);
  const outcome = await ensureSwarm({ hosts: endpoints });
  assert.deepEqual(outcome.manager, endpoints[0]);
  assert.deepEqual(calls(engines), ['init 10.0.0.1', 'join MGR via 10.0.0.1:2377', 'join MGR via 10.0.0.1:2377', 'join WRK via 10.0.0.1:2377']);
  // Idempotent: a second call finds every engine in the swarm and does nothing.
  const again = await ensureSwarm({ hosts: endpoints });
  assert.deepEqual(again.joined, []);
  assert.deepEqual(calls(engines), ['init 10.0.0.1', 'join MGR via 10.0.0.1:2377', 'join MGR via 10.0.0.1:2377', 'join WRK via 10.0.0.1:2377']);
});

test('an existing swarm is topped up: a new host joins through the manager there is', async () => {
  const { engines, endpoints, ensureSwarm } = fakeCluster(2, [2]);
  const outcome = await ensureSwarm({ hosts: endpoints });
  assert.deepEqual(outcome.manager, endpoints[1]);
  assert.deepEqual(calls(engines), ['join WRK via 10.0.0.2:2377', '']);
  assert.deepEqual(outcome.joined, ['worker tcp://10.0.0.1:2375']);
});
