// Routed networks' host blocks, routes and names: pure pieces, exact values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateSubnet, createIpamState, type SubnetState } from '../../../domain/ipam';
import { blockGateway, blockPrefixes, carveHostBlocks, releaseHostBlocks, routesFor, staleRoutes } from '../../../domain/network/routedBlocks';
import { hostsSection, routedNameEntries, writeHostsArgv } from '../../../domain/network/routedNames';

function subnet(cidr: string): SubnetState {
  const created = createIpamState();
  assert.ok(created.ok);
  const ipam = created.state;
  const r = allocateSubnet(ipam, { owner: 'app/net', cidr });
  assert.ok(r.ok, JSON.stringify(r));
  return ipam.subnets[r.subnet.id]!;
}

test('block sizes: /26 in a large subnet, at least eight blocks in a small one, down to /29', () => {
  assert.deepEqual(blockPrefixes(16), [26, 27, 28, 29]);
  assert.deepEqual(blockPrefixes(24), [27, 28, 29]);
  assert.deepEqual(blockPrefixes(27), []);
});

test('each host gets its own block, the same one when asked again; the books are the subnet\'s', () => {
  const s = subnet('10.9.0.0/24');
  const first = carveHostBlocks(s, ['h2', 'h1']);
  assert.deepEqual(first, { ok: true, blocks: { h1: ['10.9.0.0/27'], h2: ['10.9.0.32/27'] } });
  const again = carveHostBlocks(s, ['h3', 'h1']);
  assert.deepEqual(again, { ok: true, blocks: { h1: ['10.9.0.0/27'], h2: ['10.9.0.32/27'], h3: ['10.9.0.64/27'] } });
  assert.deepEqual(s.blocks, { h1: ['10.9.0.0/27'], h2: ['10.9.0.32/27'], h3: ['10.9.0.64/27'] });
  assert.deepEqual(releaseHostBlocks(s, ['h2']), ['10.9.0.32/27']);
  assert.deepEqual(carveHostBlocks(s, ['h4']), { ok: true, blocks: { h1: ['10.9.0.0/27'], h3: ['10.9.0.64/27'], h4: ['10.9.0.32/27'] } });
});

test('a full subnet carves smaller blocks, then refuses with the reason and leaves the books as they were', () => {
  const s = subnet('10.9.1.0/24');
  const hosts = Array.from({ length: 8 }, (_, i) => `h${i + 1}`);
  assert.ok(carveHostBlocks(s, hosts).ok);
  // Eight /27s fill the /24: nothing smaller is left either.
  const refused = carveHostBlocks(s, ['h9']);
  assert.deepEqual(refused, { ok: false, problem: 'routed network subnet 10.9.1.0/24 has no free block for host h9 (8 hosts hold its blocks; the smallest is a /29): give the network a larger cidr' });
  assert.equal(Object.keys(s.blocks!).length, 8);
  releaseHostBlocks(s, ['h1']);
  const big = subnet('10.10.0.0/22');
  assert.deepEqual(carveHostBlocks(big, ['a']), { ok: true, blocks: { a: ['10.10.0.0/26'] } });
});

test('routes: every other host\'s blocks via its address; stale ones are those of the subnet no longer wanted', () => {
  const hosts = [
    { id: 'h1', address: '10.213.5.11', blocks: ['10.9.0.0/27'] },
    { id: 'h2', address: '10.213.5.12', blocks: ['10.9.0.32/27'] },
    { id: 'h3', address: '10.213.5.13', blocks: ['10.9.0.64/27'] },
  ];
  assert.deepEqual(routesFor('h2', hosts), [
    { block: '10.9.0.0/27', via: '10.213.5.11' },
    { block: '10.9.0.64/27', via: '10.213.5.13' },
  ]);
  const listing = '10.9.0.0/27 via 10.213.5.11 dev eth0 \n10.9.0.96/27 via 10.213.5.14 dev eth0 \n10.8.0.0/27 via 10.213.5.14 dev eth0 \n';
  assert.deepEqual(staleRoutes(listing, '10.9.0.0/24', routesFor('h2', hosts)), ['10.9.0.96/27']);
  assert.equal(blockGateway('10.9.0.32/27'), '10.9.0.33');
});

test('names: every running member on the routed networks, as <service>, <service>.<app> and its aliases; a section per member', () => {
  const services = [
    { id: 'a', networks: [{ network: 'mesh', aliases: ['alpha'] }] },
    { id: 'b', networks: [{ network: 'mesh', aliases: [] }, { network: 'plain', aliases: [] }] },
  ];
  const member = (name: string, state: 'RUNNING' | 'FAILED', networks: Record<string, string>) => ({ member: name, hostId: 'h1', hostAddress: '', containerName: `app.${name}`, state, generation: 1, ports: [], networks });
  const view = {
    services: [
      { id: 'b', members: [member('b.1', 'RUNNING', { mesh: '10.9.0.34', plain: '10.8.0.2' }), member('b.2', 'FAILED', { mesh: '10.9.0.35' })] },
      { id: 'a', members: [member('a.1', 'RUNNING', { mesh: '10.9.0.2' })] },
    ],
  } as unknown as Parameters<typeof routedNameEntries>[2];
  const entries = routedNameEntries('app', services, view, ['mesh']);
  assert.deepEqual(entries, [
    { network: 'mesh', address: '10.9.0.2', names: ['a', 'a.app', 'alpha'], container: 'app.a.1' },
    { network: 'mesh', address: '10.9.0.34', names: ['b', 'b.app'], container: 'app.b.1' },
  ]);
  assert.equal(hostsSection(entries, ['mesh']), '# clocker routed names: begin\n10.9.0.2\ta a.app alpha\n10.9.0.34\tb b.app\n# clocker routed names: end\n');
  assert.equal(hostsSection(entries, ['other']), '# clocker routed names: begin\n# clocker routed names: end\n');
  const argv = writeHostsArgv('S');
  assert.deepEqual([argv[0], argv[1], argv[3], argv[4]], ['sh', '-c', 'clocker-names', 'S']);
  assert.doesNotMatch(argv[2]!, /\b(sed|cat|grep|awk)\b/, 'shell builtins only');
});
