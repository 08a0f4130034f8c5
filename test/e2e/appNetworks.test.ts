// Addressing and networks on the local engine through the real stack: services reach each
// other by name on the application's default network, Clocker 1.x links give names and
// variables that work from inside a container, networks are created once however many
// creates race, and subnets the engine already holds are never handed out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { networkActivities } from '../../activities/docker/networks';
import { readBlueprintFile } from '../../client/blueprintFile';
import { localHostAddress } from '../../client/localHostAddress';
import { formatCidr, overlaps, parseCidr, type Cidr } from '../../domain/ipam/addressMath';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';
import { run } from '../support/exec';
import { startLocalStack, type Stack } from '../support/stack';

const pid = process.pid;
const COMPOSE_APP = `names-${pid}`;
const LINKS_APP = `links-${pid}`;
const FOREIGN_APP = `foreign-${pid}`;
const FOREIGN_NETWORK = `e2e-foreign-${pid}`;
const RACE_APP = `race-${pid}`;

/** A stand-in server: every connection on `port` is answered with one line. */
const answering = (port: number, line: string) => ['sh', '-c', `printf '#!/bin/sh\\necho "${line}"\\n' > /answer && chmod +x /answer && exec nc -ll -p ${port} -e /answer`];

describe('application networks on the local engine', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'clocker-networks-'));

  before(async () => {
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, COMPOSE_APP, LINKS_APP, FOREIGN_APP);
    for (const name of [FOREIGN_NETWORK, `${RACE_APP}.race`, `${RACE_APP}.taken`]) await run(['docker', 'network', 'rm', name], { allowFail: true });
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const inside = (container: string, script: string) => run(['docker', 'exec', container, 'sh', '-c', script]);

  test('the local host address is the engine bridge gateway, never loopback, and the infrastructure records it', async () => {
    const address = await localHostAddress(docker);
    assert.notEqual(address, '127.0.0.1');
    const bridge = await docker.getNetwork('bridge').inspect();
    const subnet = parseCidr(bridge.IPAM?.Config?.[0]?.Subnet ?? '') as Cidr;
    assert.ok(overlaps(subnet, parseCidr(`${address}/32`) as Cidr), `${address} is in the bridge subnet ${formatCidr(subnet)}`);
    const view = await stack.clocker.infrastructureStatus('local');
    assert.equal(view.hosts[0]?.address, address);
  });

  test('a Compose file: two services start at once on a fresh default network, and web reaches redis by name', async () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      [
        `name: ${COMPOSE_APP}`,
        'services:',
        '  redis:',
        '    image: clocker/busybox:1',
        `    command: ${JSON.stringify(answering(6379, '+PONG from redis'))}`,
        '    deploy: { replicas: 2 }',
        '  web:',
        '    image: clocker/busybox:1',
        '    command: ["sh", "-c", "exec sleep 100000"]',
        '    deploy: { replicas: 2 }',
        '',
      ].join('\n'),
    );
    const bp = readBlueprintFile(file);
    assert.deepEqual(bp.networks.map((n) => n.id), ['default']);
    await stack.clocker.deploy(bp);
    const view = await stack.clocker.waitFor(COMPOSE_APP, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    // One network, made once, though four members on one host needed it at the same moment.
    const networks = await docker.listNetworks({ filters: { label: [`io.clocker.app=${COMPOSE_APP}`] } });
    assert.deepEqual(networks.map((n) => n.Name), [`${COMPOSE_APP}.default`]);
    assert.match(networks[0]?.IPAM?.Config?.[0]?.Subnet ?? '', /^10\.\d+\.\d+\.0\/24$/);
    for (const m of view.services.find((s) => s.id === 'web')?.members ?? []) {
      assert.match(m.networks?.default ?? '', /^10\./);
      assert.equal(await inside(m.containerName, 'nc -w 3 redis 6379 </dev/null'), '+PONG from redis\n');
    }
    assert.equal((await stack.clocker.destroy(COMPOSE_APP, 60_000)).status, 'DESTROYED');
    assert.equal((await docker.listNetworks({ filters: { label: [`io.clocker.app=${COMPOSE_APP}`] } })).length, 0);
  });

  test('Clocker 1.x links: the alias resolves, and REDIS_PORT_6379_TCP_ADDR:PORT answer from inside the container', async () => {
    const file = join(dir, 'links.yaml');
    writeFileSync(
      file,
      [
        `name: ${LINKS_APP}`,
        'location: local',
        'services:',
        '  - type: docker:clocker/busybox:1',
        '    id: store',
        '    openPorts: [6379]',
        `    command: ${JSON.stringify(answering(6379, '+PONG from store'))}`,
        '  - type: docker:clocker/busybox:1',
        '    id: app',
        '    links:',
        '      redis: $brooklyn:component("store")',
        '    command: ["sh", "-c", "exec sleep 100000"]',
        '',
      ].join('\n'),
    );
    await stack.clocker.deploy(readBlueprintFile(file));
    const view = await stack.clocker.waitFor(LINKS_APP, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const store = view.services.find((s) => s.id === 'store')?.members[0];
    const app = view.services.find((s) => s.id === 'app')?.members[0];
    assert.ok(store && app);
    const env = await inside(app.containerName, 'echo "$REDIS_PORT_6379_TCP_ADDR $REDIS_PORT_6379_TCP_PORT $REDIS_PORT"');
    // The store's address on the shared network and its container port (not the published one).
    assert.equal(env, `${store.networks?.default} 6379 tcp://${store.networks?.default}:6379\n`);
    assert.notEqual(store.ports[0]?.boundHostPort, 6379);
    assert.equal(await inside(app.containerName, 'nc -w 3 "$REDIS_PORT_6379_TCP_ADDR" "$REDIS_PORT_6379_TCP_PORT" </dev/null'), '+PONG from store\n');
    assert.equal(await inside(app.containerName, 'nc -w 3 redis 6379 </dev/null'), '+PONG from store\n');
    assert.equal((await stack.clocker.destroy(LINKS_APP, 60_000)).status, 'DESTROYED');
  });

  test('ensureNetwork called five times at once for one network: one network, every call succeeds with its id', async () => {
    const { ensureNetwork } = networkActivities(createDockerClientFactory());
    const network = { id: 'race', driver: 'bridge' as const, cidr: await freeSubnet(docker), labels: {} };
    const ids = await Promise.all(Array.from({ length: 5 }, () => ensureNetwork({ endpoint: localDockerEndpoint(), app: RACE_APP, network })));
    const listed = await docker.listNetworks({ filters: { name: [`${RACE_APP}.race`] } });
    assert.equal(listed.length, 1);
    assert.deepEqual(new Set(ids), new Set([listed[0]?.Id]));
  });

  test("ensureNetwork on a subnet a foreign network holds fails naming that network", async () => {
    const { ensureNetwork } = networkActivities(createDockerClientFactory());
    const cidr = await freeSubnet(docker);
    await run(['docker', 'network', 'create', '--subnet', cidr, FOREIGN_NETWORK]);
    try {
      await assert.rejects(
        ensureNetwork({ endpoint: localDockerEndpoint(), app: RACE_APP, network: { id: 'taken', driver: 'bridge', cidr, labels: {} } }),
        (err: Error) => {
          assert.equal(err.name, 'SubnetTakenError');
          assert.match(err.message, new RegExp(`cannot have ${cidr.replace(/\./g, '\\.')}: network ${FOREIGN_NETWORK} \\(${cidr.replace(/\./g, '\\.')}\\) holds that pool`));
          return true;
        },
      );
    } finally {
      await run(['docker', 'network', 'rm', FOREIGN_NETWORK]);
    }
  });

  test("a foreign network holding the pool's next subnet is skipped by the IPAM: the deploy succeeds on another subnet", async () => {
    const cidr = await freeSubnet(docker);
    await run(['docker', 'network', 'create', '--subnet', cidr, FOREIGN_NETWORK]);
    try {
      await stack.clocker.deploy(readBlueprintFile(writeNative(dir, FOREIGN_APP)));
      const view = await stack.clocker.waitFor(FOREIGN_APP, (v) => v.status !== 'DEPLOYING', 120_000);
      assert.equal(view.status, 'RUNNING', JSON.stringify(view));
      const inspected = (await docker.getNetwork(`${FOREIGN_APP}.default`).inspect()) as { IPAM?: { Config?: { Subnet?: string }[] } };
      const ours = inspected.IPAM?.Config?.[0]?.Subnet ?? '';
      assert.notEqual(ours, cidr);
      assert.ok(!overlaps(parseCidr(ours) as Cidr, parseCidr(cidr) as Cidr));
      assert.equal((await stack.clocker.destroy(FOREIGN_APP, 60_000)).status, 'DESTROYED');
      assert.equal((await appContainers(docker, FOREIGN_APP)).length, 0);
    } finally {
      await run(['docker', 'network', 'rm', FOREIGN_NETWORK]);
    }
  });
});

function writeNative(dir: string, app: string): string {
  const file = join(dir, `${app}.yaml`);
  writeFileSync(file, [`name: ${app}`, 'services:', '  - { id: one, image: clocker/busybox:1, command: ["sleep", "100000"] }', ''].join('\n'));
  return file;
}

/**
 * The lowest /24 of the IPAM's default pool (10.128.0.0/9) that no network on the engine holds
 * now: where this stack's IPAM would carve next, since other tests' stacks skip what is taken.
 */
async function freeSubnet(docker: ReturnType<ReturnType<typeof createDockerClientFactory>>): Promise<string> {
  const held = (await docker.listNetworks()).flatMap((n) => (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [parseCidr(c.Subnet)] : []))).filter((c): c is Cidr => typeof c !== 'string');
  for (let i = 0; i < 256 * 128; i++) {
    const candidate = parseCidr(`10.${128 + Math.floor(i / 256)}.${i % 256}.0/24`) as Cidr;
    if (!held.some((h) => overlaps(h, candidate))) return formatCidr(candidate);
  }
  throw new Error('no free /24 in 10.128.0.0/9 on this engine');
}
