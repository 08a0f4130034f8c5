// Network creation on an engine others use too: the answers Docker gives a create that lost
// (409 name taken, 403 "Pool overlaps") are settled by looking, on an in-memory engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { networkActivities, type NetworkToEnsure } from '../../activities/docker/networks';
import type { DockerEndpoint } from '../../domain/infra/model';

const endpoint: DockerEndpoint = { kind: 'socket', socketPath: '/fake.sock' };
const network: NetworkToEnsure = { id: 'back', driver: 'bridge', cidr: '10.128.2.0/24', labels: {} };
const overlaps = () => Object.assign(new Error('(HTTP code 403) unexpected - Pool overlaps with other one on this address space'), { statusCode: 403, json: { message: 'Pool overlaps with other one on this address space' } });
const notFound = () => Object.assign(new Error('not found'), { statusCode: 404 });

interface Existing {
  Id: string;
  Labels: Record<string, string>;
  IPAM: { Config: { Subnet: string }[] };
  Containers: Record<string, { Name: string }>;
}

/** An engine where another network holds the subnet while `held()` says so, and `existing` networks are found by name. */
function engine(held: () => { Name: string; Subnet: string } | undefined, existing = new Map<string, Existing>()) {
  const calls: string[] = [];
  const docker = {
    getNetwork: (name: string) => ({
      inspect: async () => {
        calls.push(`inspect ${name}`);
        const found = existing.get(name);
        if (!found) throw notFound();
        return found;
      },
      remove: async () => {
        calls.push(`remove ${name}`);
        for (const [key, n] of existing) if (n.Id === name) existing.delete(key);
      },
    }),
    createNetwork: async (o: Docker.NetworkCreateOptions) => {
      calls.push(`create ${o.Name}`);
      if (held()) throw overlaps();
      return { id: `id-${o.Name}` };
    },
    listNetworks: async () => {
      calls.push('list');
      const h = held();
      return h ? [{ Name: h.Name, IPAM: { Config: [{ Subnet: h.Subnet }] } }] : [];
    },
  } as unknown as Docker;
  return { docker, calls };
}

test('a subnet held by a network that is gone by the time it is looked for: the create is asked again, and succeeds', async () => {
  let creates = 0;
  const { docker, calls } = engine(() => (creates++ === 0 ? { Name: 'other', Subnet: '10.128.2.0/24' } : undefined));
  const id = await networkActivities(() => docker).ensureNetwork({ endpoint, app: 'chaos5', network });
  assert.equal(id, 'id-chaos5.back');
  assert.deepEqual(
    calls.filter((c) => !c.startsWith('inspect')),
    ['create chaos5.back', 'list', 'create chaos5.back'],
  );
});

test('a subnet another network still holds: SubnetTakenError naming it, after one create', async () => {
  const { docker, calls } = engine(() => ({ Name: 'someone-elses', Subnet: '10.128.0.0/16' }));
  await assert.rejects(networkActivities(() => docker).ensureNetwork({ endpoint, app: 'chaos5', network }), (err: Error) => err.name === 'SubnetTakenError' && /someone-elses \(10\.128\.0\.0\/16\)/.test(err.message));
  assert.equal(calls.filter((c) => c.startsWith('create')).length, 1);
});

const ours = (subnet: string, containers: string[] = []): Existing => ({
  Id: 'old-id',
  Labels: { 'io.clocker.managed': 'true', 'io.clocker.app': 'chaos5', 'io.clocker.network': 'back' },
  IPAM: { Config: [{ Subnet: subnet }] },
  Containers: Object.fromEntries(containers.map((c, i) => [`c${i}`, { Name: c }])),
});

test('our network on the subnet IPAM gave is adopted as it is', async () => {
  const { docker, calls } = engine(() => undefined, new Map([['chaos5.back', ours('10.128.2.0/24')]]));
  assert.equal(await networkActivities(() => docker).ensureNetwork({ endpoint, app: 'chaos5', network }), 'old-id');
  assert.deepEqual(calls, ['inspect chaos5.back']);
});

test('our network left on another subnet by an earlier deployment of the name, empty: removed and made on the right one', async () => {
  const { docker, calls } = engine(() => undefined, new Map([['chaos5.back', ours('10.128.1.0/24')]]));
  assert.equal(await networkActivities(() => docker).ensureNetwork({ endpoint, app: 'chaos5', network }), 'id-chaos5.back');
  assert.deepEqual(calls, ['inspect chaos5.back', 'remove old-id', 'create chaos5.back']);
});

test('the same, with containers still on it: StaleNetworkError naming both subnets and the containers, nothing removed', async () => {
  const existing = new Map([['chaos5.back', ours('10.128.1.0/24', ['chaos5.web.1'])]]);
  const { docker, calls } = engine(() => undefined, existing);
  await assert.rejects(
    networkActivities(() => docker).ensureNetwork({ endpoint, app: 'chaos5', network }),
    (err: Error) => err.name === 'StaleNetworkError' && /on 10\.128\.1\.0\/24, not on 10\.128\.2\.0\/24/.test(err.message) && /chaos5\.web\.1/.test(err.message),
  );
  assert.deepEqual(calls, ['inspect chaos5.back']);
  assert.equal(existing.size, 1);
});
