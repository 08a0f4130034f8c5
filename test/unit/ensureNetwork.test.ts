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

/** An engine where another network holds the subnet while `held()` says so. */
function engine(held: () => { Name: string; Subnet: string } | undefined) {
  const calls: string[] = [];
  const docker = {
    getNetwork: (name: string) => ({
      inspect: async () => {
        calls.push(`inspect ${name}`);
        throw notFound();
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
