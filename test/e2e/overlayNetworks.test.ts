// An overlay network across the 3-host rig, for real: three services, one member on each host
// (placed by host label), on one `driver: overlay` network. The application forms the
// rig's Docker swarm itself (1 → 3 managers), makes the network once with the subnet IPAM gave,
// and every member reaches every other by service name and by its address (`nc`), the
// addresses in that subnet. Destroy removes the network from every host and gives the subnet
// back. A second application on its own overlay network on the same hosts reaches its own
// members and none of the first's, nor they its (the driver's default isolation). A fourth host
// that left the swarm joins it again when a new service's member is placed there. Numbers: attaching a container to the overlay beside a bridge, and round trips between
// two hosts over the overlay and over the hosts' own addresses.
// e2e-group: beside (its own rig hosts; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { copyImage } from '../../client/images/imageTransfer';
import type { AppView, MemberView } from '../../domain/application/status';
import type { Blueprint } from '../../domain/blueprint/model';
import type { InfrastructureSpec } from '../../domain/infra/model';
import { overlaps, parseCidr, type Cidr } from '../../domain/ipam/addressMath';
import { networkName } from '../../domain/naming';
import { createRig, type Rig } from '../rig/rig';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers } from '../support/dockerChecks';
import { run } from '../support/exec';
import { median, MESH_PORT, meshBlueprint } from '../support/meshApp';
import { startStack, type Stack } from '../support/stack';

const APP = 'overlay-mesh';
const INFRA = 'rig-overlay';
const NETWORK = 'mesh';
const SERVICES = ['a', 'b', 'c'];
/** Where each service runs (host labels `slot: <host>`). */
const SLOTS: Record<string, string> = { a: 'h1', b: 'h2', c: 'h3', x: 'h1', y: 'h3', d: 'h4' };
const OTHER_APP = 'overlay-other';
const PORT = MESH_PORT;

/** The mesh of services `services`, each on its slot's host, on the overlay network. */
const mesh = (app = APP, services = SERVICES): Blueprint => meshBlueprint({ app, infrastructure: INFRA, services, slots: SLOTS, network: { id: NETWORK, driver: 'overlay' } });

describe('an overlay network across the rig hosts', { skip: skipUnlessPresent('temporal', 'docker', 'rig') }, () => {
  const dockerFor = createDockerClientFactory();
  const local = dockerFor(localDockerEndpoint());
  let rig: Rig;
  let stack: Stack;
  let members: MemberView[] = [];
  let subnet = '';

  const engineOf = (hostId: string): { docker: Docker; url: string } => {
    const h = rig.hosts.find((x) => x.name === hostId);
    assert.ok(h?.docker, `rig host ${hostId}`);
    return { docker: dockerFor(h.docker), url: `tcp://${h.docker.host}:${h.docker.port}` };
  };
  /** A shell script inside a member's container, on its host's engine. */
  const inside = (m: MemberView, script: string) => run(['docker', '-H', engineOf(m.hostId).url, 'exec', m.containerName, 'sh', '-c', script]);

  before(async () => {
    await ensureBusyboxImage(local);
    // h4 carries nothing at first: it leaves the swarm and is joined again by a member placed there.
    rig = await createRig({ hosts: 4, docker: true });
    await Promise.all(rig.hosts.map((h) => copyImage(local, dockerFor(h.docker!), BUSYBOX_IMAGE)));
    stack = await startStack();
    await stack.startWorker();
    const infra: InfrastructureSpec = {
      name: INFRA,
      hosts: rig.hosts.map((h) => ({ id: h.name, address: h.address, docker: h.docker!, status: 'AVAILABLE', labels: { slot: h.name }, maxContainers: 4 })),
    };
    await stack.clocker.ensureInfrastructure(infra);
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown();
  });

  test('the application forms the swarm, makes the overlay once with the IPAM subnet, and its members land on three hosts', async () => {
    const started = Date.now();
    await stack.clocker.deploy(mesh());
    const view: AppView = await stack.clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 240_000);
    console.log(`overlay-mesh: deploy → ${view.status} in ${Date.now() - started} ms (swarm formed on the way)`);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    members = view.services.flatMap((s) => s.members.filter((m) => m.state === 'RUNNING'));
    assert.equal(members.length, 3);
    assert.deepEqual(new Set(members.map((m) => m.hostId)).size, 3, `one member per host: ${members.map((m) => `${m.containerName}@${m.hostId}`).join(', ')}`);

    // The swarm: every rig engine in it, three managers for three hosts.
    const infos = await Promise.all(rig.hosts.map((h) => dockerFor(h.docker!).info() as Promise<{ Swarm: { LocalNodeState: string; ControlAvailable: boolean } }>));
    assert.deepEqual(infos.map((i) => i.Swarm.LocalNodeState), ['active', 'active', 'active', 'active']);
    assert.equal(infos.filter((i) => i.Swarm.ControlAvailable).length, 3, 'three managers for four hosts');

    const infra = await stack.clocker.infrastructureStatus(INFRA);
    const held = infra.subnets.find((s) => s.owner === `${APP}/${NETWORK}`);
    assert.ok(held, `IPAM holds a subnet for ${APP}/${NETWORK}: ${JSON.stringify(infra.subnets)}`);
    subnet = held.cidr;
    const net = (await engineOf('h1').docker.getNetwork(networkName(APP, NETWORK, 'overlay')).inspect()) as Docker.NetworkInspectInfo;
    assert.equal(net.Driver, 'overlay');
    assert.equal(net.Scope, 'swarm');
    assert.equal(net.Attachable, true);
    assert.equal(net.IPAM?.Config?.[0]?.Subnet, subnet);
    const cidr = parseCidr(subnet) as Cidr;
    for (const m of members) {
      const address = m.networks?.[NETWORK];
      assert.ok(address, `${m.containerName} has an address on ${NETWORK}: ${JSON.stringify(m)}`);
      assert.ok(overlaps(cidr, parseCidr(`${address}/32`) as Cidr), `${m.containerName}'s ${address} is in IPAM's ${subnet}`);
    }
  });

  test('every member reaches every other by service name and by address, across hosts', async () => {
    assert.equal(members.length, 3, 'the deployment test ran');
    for (const from of members) {
      for (const to of members) {
        if (to === from) continue;
        const service = SERVICES.find((s) => to.containerName.startsWith(`${APP}.${s}.`))!;
        const byName = await inside(from, `nc -w 3 ${service} ${PORT} </dev/null`);
        assert.match(byName.trim(), new RegExp(`^${service} ${to.containerId!.slice(0, 12)}$`), `${from.containerName}@${from.hostId} → ${service} (${to.hostId})`);
        const byAddress = await inside(from, `nc -w 3 ${to.networks![NETWORK]} ${PORT} </dev/null`);
        assert.equal(byAddress.trim(), byName.trim(), `${from.containerName} → ${to.networks![NETWORK]}`);
      }
    }
  });

  test("a second application's overlay network is isolated from the first, both ways; each reaches its own members", async () => {
    assert.equal(members.length, 3, 'the deployment test ran');
    await stack.clocker.deploy(mesh(OTHER_APP, ['x', 'y']));
    const view = await stack.clocker.waitFor(OTHER_APP, (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const others = view.services.flatMap((s) => s.members.filter((m) => m.state === 'RUNNING'));
    const [x, y] = [others.find((m) => m.hostId === 'h1')!, others.find((m) => m.hostId === 'h3')!];
    assert.ok(x && y, JSON.stringify(others));
    const infra = await stack.clocker.infrastructureStatus(INFRA);
    const mine = infra.subnets.find((s) => s.owner === `${APP}/${NETWORK}`)?.cidr;
    const theirs = infra.subnets.find((s) => s.owner === `${OTHER_APP}/${NETWORK}`)?.cidr;
    assert.ok(mine && theirs && mine !== theirs, `two subnets from IPAM: ${mine}, ${theirs}`);
    // Its own: x (h1) → y (h3) by name and by address.
    assert.match((await inside(x, `nc -w 3 y ${PORT} </dev/null`)).trim(), /^y [0-9a-f]{12}$/);
    assert.match((await inside(x, `nc -w 3 ${y.networks![NETWORK]} ${PORT} </dev/null`)).trim(), /^y [0-9a-f]{12}$/);
    // Across applications, both ways, from the same hosts and from the others: nothing answers.
    const a = members.find((m) => m.hostId === 'h1')!;
    const c = members.find((m) => m.hostId === 'h3')!;
    const attempts: [MemberView, string][] = [
      [a, y.networks![NETWORK]!], // h1 → h3
      [c, x.networks![NETWORK]!], // h3 → h1
      [x, c.networks![NETWORK]!], // other → first
      [y, a.networks![NETWORK]!],
      [x, a.networks![NETWORK]!], // same host
    ];
    for (const [from, address] of attempts) {
      const out = await inside(from, `nc -w 2 ${address} ${PORT} </dev/null && echo REACHED || echo refused`);
      assert.equal(out.trim().split('\n').at(-1), 'refused', `${from.containerName}@${from.hostId} must not reach ${address}: ${out}`);
    }
    const gone = await stack.clocker.destroy(OTHER_APP, 120_000);
    assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
  });

  test('a host out of the swarm joins it when a member is placed there, and that member reaches the others by name', async () => {
    assert.equal(members.length, 3, 'the deployment test ran');
    const h4 = engineOf('h4');
    await run(['docker', '-H', h4.url, 'swarm', 'leave']);
    assert.equal(((await h4.docker.info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState, 'inactive');
    // A version that adds service d, placed on h4, on the same overlay network.
    const answer = await stack.clocker.deploy(mesh(APP, [...SERVICES, 'd']));
    assert.equal(answer.kind, 'updated', JSON.stringify(answer));
    const version = answer.kind === 'updated' ? answer.version : 0;
    const view = await stack.clocker.waitFor(APP, (v) => v.version === version && v.status !== 'UPDATING' && v.status !== 'DEPLOYING', 120_000);
    const d = view.services.find((s) => s.id === 'd')?.members.find((m) => m.state === 'RUNNING');
    assert.ok(d, `d runs: ${JSON.stringify(view)}`);
    assert.equal(d.hostId, 'h4');
    assert.equal(((await h4.docker.info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState, 'active', 'h4 joined the swarm again');
    const a = members.find((m) => m.hostId === 'h1')!;
    assert.match((await inside(d, `nc -w 3 a ${PORT} </dev/null`)).trim(), /^a [0-9a-f]{12}$/);
    assert.match((await inside(a, `nc -w 3 d ${PORT} </dev/null`)).trim(), new RegExp(`^d ${d.containerId!.slice(0, 12)}$`));
  });

  test('numbers: attaching to overlay beside bridge; round trips over the overlay and over host addresses', async () => {
    assert.equal(members.length, 3, 'the deployment test ran');
    // Attach: start a fresh container on one network, on a host that is not the first manager.
    const { docker, url } = engineOf('h2');
    const bridgeName = `overlay-mesh-bench-bridge`;
    await run(['docker', '-H', url, 'network', 'create', '--driver', 'bridge', bridgeName]);
    const attach = async (network: string, i: number) => {
      const c = await docker.createContainer({ name: `bench-${network.replace(/\W/g, '-')}-${i}`, Image: BUSYBOX_IMAGE, Cmd: ['sleep', '60'], HostConfig: { NetworkMode: network, AutoRemove: false } });
      const began = process.hrtime.bigint();
      await c.start();
      const ms = Number(process.hrtime.bigint() - began) / 1e6;
      await c.remove({ force: true });
      return ms;
    };
    const overlayMs: number[] = [];
    const bridgeMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      overlayMs.push(await attach(networkName(APP, NETWORK, 'overlay'), i));
      bridgeMs.push(await attach(bridgeName, i));
    }
    await run(['docker', '-H', url, 'network', 'rm', bridgeName]);

    // Round trips: busybox ping, 20 each, between the members on h1 and h2 and between the hosts.
    const on = (host: string) => members.find((m) => m.hostId === host)!;
    const rtt = (text: string) => {
      const m = /min\/avg\/max = [\d.]+\/([\d.]+)\//.exec(text);
      assert.ok(m, `ping summary in: ${text}`);
      return Number(m[1]);
    };
    const overlayRtt = rtt(await inside(on('h1'), `ping -c 20 -i 0.2 -q ${on('h2').networks![NETWORK]}`));
    const h2 = rig.hosts.find((h) => h.name === 'h2')!.address;
    const hostRtt = rtt(await run(['docker', '-H', engineOf('h1').url, 'run', '--rm', '--network', 'host', BUSYBOX_IMAGE, 'ping', '-c', '20', '-i', '0.2', '-q', h2]));
    console.log(
      `attach (container start, median of 3 on h2): overlay ${median(overlayMs).toFixed(0)} ms [${overlayMs.map((x) => x.toFixed(0)).join(', ')}], bridge ${median(bridgeMs).toFixed(0)} ms [${bridgeMs.map((x) => x.toFixed(0)).join(', ')}]`,
    );
    console.log(`round trip h1 → h2 (ping avg of 20): overlay ${overlayRtt} ms, host addresses ${hostRtt} ms`);
    assert.ok(overlayRtt > 0 && hostRtt > 0);
  });

  test('destroy removes the overlay network from every host and gives its subnet back', async () => {
    assert.ok(subnet, 'the deployment test ran');
    const view = await stack.clocker.destroy(APP, 120_000);
    assert.equal(view.status, 'DESTROYED', JSON.stringify(view));
    const destroyedAt = Date.now();
    for (const h of rig.hosts) {
      const docker = dockerFor(h.docker!);
      assert.deepEqual((await appContainers(docker, APP)).map((c) => c.Names[0]), [], `no member left on ${h.name}`);
      // A manager removes the swarm's network; a worker node drops its own copy when the swarm
      // tells it, a moment later (seen in CI: still listed on a worker right after the destroy).
      const name = networkName(APP, NETWORK, 'overlay');
      const left = async () => (await docker.listNetworks()).filter((n) => n.Name === name).map((n) => `${n.Name} (${n.Scope})`);
      await waitUntil(`no ${name} on ${h.name}`, 30_000, async () => (await left()).length === 0).catch(async (err: Error) => {
        assert.deepEqual(await left(), [], `${err.message}: no ${name} on ${h.name}`);
      });
    }
    console.log(`overlay gone from every host ${Date.now() - destroyedAt} ms after the destroy ended`);
    const infra = await stack.clocker.infrastructureStatus(INFRA);
    assert.deepEqual(infra.subnets.filter((s) => s.owner.startsWith(`${APP}/`)), [], 'the subnet went back to IPAM');
  });
});
