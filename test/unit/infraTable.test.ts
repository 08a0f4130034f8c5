// `clocker infra status` as people read it: hosts with what is reserved of what capacity,
// then subnets with how full each is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialInfraState } from '../../domain/infra/initialState';
import { formatBytes, renderInfra } from '../../client/render/infraTable';
import { InfrastructureState } from '../../workflows/infrastructureState';

function sample(): InfrastructureState {
  const initial = initialInfraState({
    name: 'lab',
    hosts: [
      { id: 'h1', address: '192.0.2.1', docker: { kind: 'tcp', host: 'h1', port: 2375 }, status: 'AVAILABLE', labels: { disk: 'ssd' }, maxContainers: 10, cpus: 4, memoryBytes: 8 * 1024 ** 3, region: 'eu', zone: 'eu-a' },
      { id: 'local', address: '127.0.0.1', docker: { kind: 'socket', socketPath: '/var/run/docker.sock' }, status: 'AVAILABLE', labels: {}, maxContainers: 100 },
    ],
    pools: [{ id: 'lab', cidr: '10.9.0.0/16' }],
  });
  if (!initial.ok) throw new Error(initial.problem);
  const infra = new InfrastructureState('lab', initial.state);
  infra.place({ app: 'shop', service: 'web', members: ['1', '2'], resources: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, strategy: ['depth-first'] }, 'x');
  infra.allocateSubnet({ owner: 'shop/default' });
  infra.allocateAddress({ subnetId: '10.9.0.0/24', owner: 'web.1' });
  return infra;
}

test('hosts and subnets render as tables; undeclared capacity shows only what is reserved', () => {
  const text = renderInfra(sample().view());
  assert.equal(
    text,
    [
      'infrastructure lab: 2 hosts, 2 members placed',
      '┌───────┬───────────┬───────────┬────────┬─────────────┬────────────┬──────┬─────────────┬─────────────────┬──────────┐',
      '│ host  │ address   │ status    │ docker │ region/zone │ containers │ cpus │ memory      │ measured        │ labels   │',
      '├───────┼───────────┼───────────┼────────┼─────────────┼────────────┼──────┼─────────────┼─────────────────┼──────────┤',
      '│ h1    │ 192.0.2.1 │ AVAILABLE │ -      │ eu/eu-a     │ 2/10       │ 1/4  │ 1 GiB/8 GiB │ cpu 0%, mem 0 B │ disk=ssd │',
      '├───────┼───────────┼───────────┼────────┼─────────────┼────────────┼──────┼─────────────┼─────────────────┼──────────┤',
      '│ local │ 127.0.0.1 │ AVAILABLE │ -      │ -           │ 0/100      │ 0    │ 0 B         │ cpu 0%, mem 0 B │ -        │',
      '└───────┴───────────┴───────────┴────────┴─────────────┴────────────┴──────┴─────────────┴─────────────────┴──────────┘',
      'address pools: lab 10.9.0.0/16 (/24 subnets)',
      '┌─────────────┬──────────────┬──────┬──────────┬────────────────┐',
      '│ subnet      │ owner        │ pool │ gateway  │ addresses used │',
      '├─────────────┼──────────────┼──────┼──────────┼────────────────┤',
      '│ 10.9.0.0/24 │ shop/default │ lab  │ 10.9.0.1 │ 1/253          │',
      '└─────────────┴──────────────┴──────┴──────────┴────────────────┘',
      'host policy: binds: /var/lib/clocker/apps/<app>; privileged: refused; capAdd: none; hostPid: refused',
    ].join('\n'),
  );
});

test('byte sizes read as people write them', () => {
  assert.deepEqual([0, 1536, 512 * 1024 ** 2, 8 * 1024 ** 3].map(formatBytes), ['0 B', '1.5 KiB', '512 MiB', '8 GiB']);
});

test("a routed network's subnet lists the block each host holds under the table", () => {
  const infra = sample();
  const subnet = infra.data.ipam.subnets['10.9.0.0/24']!;
  subnet.blocks = { local: ['10.9.0.32/27'], h1: ['10.9.0.0/27'] };
  const text = renderInfra(infra.view());
  assert.match(text, /└─+┴─+┴─+┴─+┴─+┘\nblocks of 10\.9\.0\.0\/24 \(shop\/default\): h1 10\.9\.0\.0\/27, local 10\.9\.0\.32\/27\nhost policy/);
  assert.deepEqual(infra.view().subnets[0]?.blocks, { local: ['10.9.0.32/27'], h1: ['10.9.0.0/27'] });
});
