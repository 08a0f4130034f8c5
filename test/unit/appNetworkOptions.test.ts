// The default network's create options, and the subnets in use that subnet allocation reads
// from the hosts' engines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { networkCreateOptions } from '../../activities/docker/networks';
import { subnetsInUse } from '../../activities/docker/subnetsInUse';
import { defaultNetworkSpec } from '../../domain/blueprint/build/defaultNetwork';
import type { DockerEndpoint } from '../../domain/infra/model';

test('the default network is a labelled bridge named <app>.default with the subnet IPAM gave it', () => {
  const allocated = { ...defaultNetworkSpec(), cidr: '10.128.3.0/24', gateway: '10.128.3.1' };
  assert.deepEqual(networkCreateOptions('shop', allocated), {
    Name: 'shop.default',
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { 'io.clocker.managed': 'true', 'io.clocker.app': 'shop', 'io.clocker.network': 'default' },
    IPAM: { Driver: 'default', Config: [{ Subnet: '10.128.3.0/24', Gateway: '10.128.3.1', IPRange: '10.128.3.128/25' }] },
  });
});

const engines: Record<string, Partial<Docker.NetworkInspectInfo>[] | Error> = {
  h1: [
    { Name: 'bridge', IPAM: { Driver: 'default', Config: [{ Subnet: '172.17.0.0/16' }] } },
    { Name: 'host', IPAM: { Driver: 'default', Config: [] } },
    { Name: 'shop.default', IPAM: { Driver: 'default', Config: [{ Subnet: '10.128.0.0/24' }] } },
    { Name: 'lab', IPAM: { Driver: 'default', Config: [{ Subnet: '10.128.1.0/24' }, { Subnet: 'fd00:1::/64' }] } },
  ],
  h2: [
    { Name: 'bridge', IPAM: { Driver: 'default', Config: [{ Subnet: '172.17.0.0/16' }] } },
    { Name: 'docker_gwbridge', IPAM: { Driver: 'default', Config: [{ Subnet: '172.18.0.0/16' }] } },
  ],
  h3: new Error('connect ECONNREFUSED'),
};
const fakeDocker = (endpoint: DockerEndpoint) => {
  const host = endpoint.kind === 'tcp' ? endpoint.host : 'local';
  return {
    listNetworks: async () => {
      const listed = engines[host];
      if (listed instanceof Error) throw listed;
      return listed;
    },
  } as unknown as Docker;
};
const at = (host: string): DockerEndpoint => ({ kind: 'tcp', host, port: 2375 });

test("every engine's subnets are in use except the network being allocated for; an engine that does not answer is left out", async () => {
  assert.deepEqual(await subnetsInUse(fakeDocker, [at('h1'), at('h2'), at('h3')], 'shop.default'), [
    { cidr: '172.17.0.0/16', by: 'network bridge on tcp://h1:2375' },
    { cidr: '10.128.1.0/24', by: 'network lab on tcp://h1:2375' },
    { cidr: 'fd00:1::/64', by: 'network lab on tcp://h1:2375' },
    { cidr: '172.18.0.0/16', by: 'network docker_gwbridge on tcp://h2:2375' },
  ]);
});
