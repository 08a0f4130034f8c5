// Isolation of application networks (`addIptablesRules: true`), for real, with real iptables.
// On the local engine (bridge) and across three provisioned rig hosts (overlay): two isolated
// applications cannot reach each other's members, either way; each reaches its own by name and
// by address; published ports still answer from outside. A fourth rig host that is not in the
// infrastructure stands for a machine beside the hosts with a route to the members' addresses:
// it reaches an isolated member only through its published port, while a member of a network
// without the field answers it directly on its container port (Docker's default). Destroy takes
// the rules off every host. Numbers: the per-host cost of the rules, and deploy times with and
// without them. A shared network (shared: true) joins two isolated applications: their members
// on it reach each other, the others stay apart; it goes only after the last one leaves. Every
// member's address is the one the infrastructure's IPAM gave it, given back when it goes.
// e2e-group: beside (its own rig hosts, apps named by pid; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { isolationSteps, stepsScript } from '../../activities/network/isolationRules';
import { hostShellFor, runOnWorker } from '../../activities/network/hostShell';
import { createSecretStore } from '../../activities/secrets/secretStore';
import { infraCreate } from '../../client/commands/infraCreate';
import { localInfrastructure } from '../../client/commands/up';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { copyImage } from '../../client/images/imageTransfer';
import type { AppView, MemberView } from '../../domain/application/status';
import type { Blueprint, NetworkSpec } from '../../domain/blueprint/model';
import { provisionRoot } from '../rig/provisionedDaemons';
import type { Rig, RigHost } from '../rig/rig';
import { skipUnlessPresent } from '../support/components';
import { run } from '../support/exec';
import { blueprint, serviceSpec } from '../support/specs';
import { answering, MESH_PORT } from '../support/meshApp';
import { startRigStack } from '../support/rigStack';
import type { Stack } from '../support/stack';
import { networkName, workflowIds } from '../../domain/naming';
import { hostAccessQuery } from '../../workflows/hostAccessQuery';
import { espProbeCommand } from '../../activities/network/overlayEncryption';

const pid = process.pid;
const PORT = MESH_PORT;
const NETWORK = 'back';


/** Services `srv` (answering, PORT published on a free host port) and `cli`, each on one network; `slots` places them by host label. */
function isolatedApp(app: string, location: string, driver: NetworkSpec['driver'], addIptablesRules: boolean, slots?: Record<string, string>): Blueprint {
  const placed = (id: string) => (slots ? { placement: { strategies: [], constraints: { labels: { slot: slots[id]! }, regions: [], zones: [] } } } : {});
  const bp = blueprint(
    app,
    [
      serviceSpec({ id: 'srv', image: BUSYBOX_IMAGE, command: answering('srv'), ports: [{ containerPort: PORT, hostPort: 0, protocol: 'tcp' }], networks: [{ network: NETWORK, aliases: [] }], ...placed('srv') }),
      serviceSpec({ id: 'cli', image: BUSYBOX_IMAGE, command: answering('cli'), networks: [{ network: NETWORK, aliases: [] }], ...placed('cli') }),
    ],
    location,
  );
  bp.networks = [{ id: NETWORK, driver, dnsServers: [], shared: false, addIptablesRules, labels: {} }];
  return bp;
}

const runningMember = (view: AppView, service: string): MemberView => {
  const m = view.services.find((s) => s.id === service)?.members.find((x) => x.state === 'RUNNING');
  assert.ok(m, `${service} runs: ${JSON.stringify(view)}`);
  return m;
};
const addressOf = (m: MemberView) => {
  const a = m.networks?.[NETWORK];
  assert.ok(a, `${m.containerName} has an address on ${NETWORK}: ${JSON.stringify(m)}`);
  return a;
};
const boundPort = (m: MemberView) => {
  const p = m.ports.find((x) => x.containerPort === PORT)?.boundHostPort;
  assert.ok(p !== undefined, `${m.containerName} publishes ${PORT}: ${JSON.stringify(m.ports)}`);
  return p;
};
/** The last line a probe printed: the answer, or "refused" when nothing answered within 2 s. */
const probe = (prefix: string[], address: string, port: number, nc = 'nc') =>
  run([...prefix, 'sh', '-c', `${nc} -w 2 ${address} ${port} </dev/null | grep . || echo refused`]).then((out) => out.trim().split('\n').at(-1) ?? '');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('isolated application networks (addIptablesRules: true)', { skip: skipUnlessPresent('temporal', 'docker', 'rig') }, () => {
  const dockerFor = createDockerClientFactory();
  const local = dockerFor(localDockerEndpoint());
  let rig: Rig;
  let stack: Stack;
  let home = '';
  const rigInfra = () => `iso-${rig.id}`;
  /** h4: in the rig, not in the infrastructure; its default route goes through this machine's root namespace. */
  const outside = () => rig.hosts[3]!;
  // This machine has busybox, not a plain nc.
  const fromOutside = (address: string, port: number) => probe(['nsenter', `--net=/var/run/netns/${outside().netns}`], address, port, 'busybox nc');
  const tlsFlags = () => {
    const client = join(home, 'infra', rigInfra(), 'tls', 'client');
    return ['--tlsverify', '--tlscacert', join(client, 'ca.pem'), '--tlscert', join(client, 'cert.pem'), '--tlskey', join(client, 'key.pem')];
  };
  const tlsDocker = (h: RigHost) => {
    const client = join(home, 'infra', rigInfra(), 'tls', 'client');
    return new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(client, 'ca.pem')), cert: readFileSync(join(client, 'cert.pem')), key: readFileSync(join(client, 'key.pem')) });
  };
  /** `docker exec` into a member: on the local engine, or on its rig host over TLS. */
  const execIn = (m: MemberView): string[] => {
    const h = rig.hosts.find((x) => x.name === m.hostId);
    if (!h) return ['docker', 'exec', m.containerName]; // the local engine
    return ['docker', ...tlsFlags(), '-H', `tcp://${h.address}:2376`, 'exec', m.containerName];
  };
  /** Every running member's address on `network` is the one IPAM holds for it (owner `<app>/<service>/<member>`), and the one its endpoint was given. */
  const assertIpamAddresses = async (infrastructure: string, view: AppView, network: string, subnetOwner: string, engineFor: (m: MemberView) => Docker) => {
    const subnet = (await stack.clocker.infrastructureStatus(infrastructure)).subnets.find((x) => x.owner === subnetOwner);
    assert.ok(subnet, `IPAM holds ${subnetOwner}`);
    for (const s of view.services) {
      for (const m of s.members.filter((x) => x.state === 'RUNNING' && (x.networks ?? {})[network] !== undefined)) {
        const address = m.networks![network]!;
        const held: { address: string; owner: string; static: boolean } | undefined = subnet.addresses.find((a) => a.address === address);
        assert.deepEqual(held, { address, owner: `${view.name}/${s.id}/${m.member}`, static: false }, `${m.containerName}'s ${address} in ${subnet.cidr}: ${JSON.stringify(subnet.addresses)}`);
        const inspected = (await engineFor(m).getContainer(m.containerName).inspect()) as { NetworkSettings: { Networks: Record<string, { IPAMConfig?: { IPv4Address?: string } | null }> } };
        const endpoints = Object.values(inspected.NetworkSettings.Networks).map((e) => e.IPAMConfig?.IPv4Address);
        assert.ok(endpoints.includes(address), `${m.containerName}'s endpoint was given ${address}: ${JSON.stringify(endpoints)}`);
      }
    }
  };
  const isolationRules = (netns?: string) => run([...(netns ? ['ip', 'netns', 'exec', netns] : []), 'iptables', '-S', 'CLOCKER-ISOLATION'], { allowFail: true });

  before(async () => {
    await ensureBusyboxImage(local);
    ({ rig, stack, home } = await startRigStack(4, 'CLOCKER_SECRET_ISO_RIG_KEY'));
    await stack.clocker.ensureInfrastructure(await localInfrastructure(local));
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown();
  });

  describe('bridge, on the local engine', () => {
    const A = `iso-a-${pid}`;
    const B = `iso-b-${pid}`;
    const OPEN = `iso-open-${pid}`;
    const views: Record<string, AppView> = {};
    const deployMs: Record<string, number> = {};

    after(async () => {
      for (const app of [A, B, OPEN]) if (views[app]) await stack.clocker.destroy(app, 120_000).catch((err: unknown) => console.error(`destroy ${app}: ${String(err)}`));
    });

    test('two isolated applications and one without the field deploy', async () => {
      for (const [app, rules] of [[OPEN, false], [A, true], [B, true]] as const) {
        const started = Date.now();
        await stack.clocker.deploy(isolatedApp(app, 'local', 'bridge', rules));
        views[app] = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 120_000);
        deployMs[app] = Date.now() - started;
        assert.equal(views[app]!.status, 'RUNNING', JSON.stringify(views[app]));
      }
      console.log(`bridge deploy (2 services, local engine): without rules ${deployMs[OPEN]} ms, with rules ${deployMs[A]} ms and ${deployMs[B]} ms`);
      const rules = await isolationRules();
      for (const app of [A, B]) assert.match(rules, new RegExp(`-A CLOCKER-ISOLATION -o br-[0-9a-f]{12} .*clocker:${app}/${NETWORK}.* -j DROP`), rules);
      assert.doesNotMatch(rules, new RegExp(`clocker:${OPEN}/`));
    });

    test('each reaches its own members by name and by address; neither reaches the other, either way', async () => {
      for (const app of [A, B]) {
        const [srv, cli] = [runningMember(views[app]!, 'srv'), runningMember(views[app]!, 'cli')];
        assert.match(await probe(execIn(cli), 'srv', PORT), /^srv [0-9a-f]{12}$/, `${app}: cli → srv by name`);
        assert.match(await probe(execIn(cli), addressOf(srv), PORT), /^srv [0-9a-f]{12}$/, `${app}: cli → srv by address`);
        assert.match(await probe(execIn(srv), addressOf(cli), PORT), /^cli [0-9a-f]{12}$/, `${app}: srv → cli by address`);
      }
      for (const [from, to] of [[A, B], [B, A]] as const) {
        for (const service of ['srv', 'cli']) {
          const target = runningMember(views[to]!, service);
          assert.equal(await probe(execIn(runningMember(views[from]!, 'cli')), addressOf(target), PORT), 'refused', `${from} must not reach ${to}'s ${service}`);
        }
      }
    });

    test('every member has the address IPAM gave it, and status shows it', async () => {
      for (const app of [A, B, OPEN]) await assertIpamAddresses('local', await stack.clocker.status(app), NETWORK, `${app}/${NETWORK}`, () => local);
    });

    test("from a machine beside the host: an isolated member answers only on its published port; a member without the field also answers on its own address (Docker's default)", async () => {
      for (const app of [A, B, OPEN]) {
        const srv = runningMember(views[app]!, 'srv');
        assert.match(await fromOutside(rig.gateway, boundPort(srv)), /^srv [0-9a-f]{12}$/, `${app}: the published port answers from outside`);
      }
      for (const app of [A, B]) assert.equal(await fromOutside(addressOf(runningMember(views[app]!, 'srv')), PORT), 'refused', `${app}: its member's own address is closed from outside`);
      assert.match(await fromOutside(addressOf(runningMember(views[OPEN]!, 'srv')), PORT), /^srv [0-9a-f]{12}$/, 'without addIptablesRules, Docker lets the container port in by address');
    });

    test('destroy takes the rules off the host', async () => {
      for (const app of [A, B]) {
        const gone = await stack.clocker.destroy(app, 120_000);
        assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
        delete views[app];
        assert.doesNotMatch(await isolationRules(), new RegExp(`clocker:${app}/`));
      }
    });
  });

  describe('a shared network, on the local engine', () => {
    const SA = `iso-sa-${pid}`;
    const SB = `iso-sb-${pid}`;
    const COMMON = `common-${pid}`;
    const views: Record<string, AppView> = {};

    /** srv on its own isolated network and on the shared one; cli only on its own. */
    const withShared = (app: string): Blueprint => {
      const bp = isolatedApp(app, 'local', 'bridge', true);
      bp.networks.push({ id: COMMON, driver: 'bridge', dnsServers: [], shared: true, addIptablesRules: true, labels: {} });
      bp.services = bp.services.map((svc) => (svc.id === 'srv' ? { ...svc, networks: [...svc.networks, { network: COMMON, aliases: [] }] } : svc));
      return bp;
    };
    const commonAddress = (m: MemberView) => {
      const a = m.networks?.[COMMON];
      assert.ok(a, `${m.containerName} has an address on ${COMMON}: ${JSON.stringify(m)}`);
      return a;
    };
    const sharedName = `clocker-shared.${COMMON}`;
    const sharedSubnets = async () => (await stack.clocker.infrastructureStatus('local')).subnets.filter((x) => x.owner === `clocker-shared/${COMMON}`);

    after(async () => {
      for (const app of [SA, SB]) if (views[app]) await stack.clocker.destroy(app, 120_000).catch((err: unknown) => console.error(`destroy ${app}: ${String(err)}`));
    });

    test('two isolated applications naming it join one network, with one subnet from IPAM', async () => {
      for (const app of [SA, SB]) {
        await stack.clocker.deploy(withShared(app));
        views[app] = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 120_000);
        assert.equal(views[app]!.status, 'RUNNING', JSON.stringify(views[app]));
      }
      const held = await sharedSubnets();
      assert.equal(held.length, 1, JSON.stringify(held));
      const networks = (await local.listNetworks()).filter((n) => n.Name === sharedName);
      assert.equal(networks.length, 1);
      assert.equal((await local.getNetwork(sharedName).inspect()).IPAM?.Config?.[0]?.Subnet, held[0]!.cidr);
    });

    test('it joins them: each srv reaches the other by <service>.<app> and by address; their own networks stay closed to each other', async () => {
      const [a, b] = [runningMember(views[SA]!, 'srv'), runningMember(views[SB]!, 'srv')];
      assert.match(await probe(execIn(a), `srv.${SB}`, PORT), new RegExp(`^srv ${b.containerId!.slice(0, 12)}$`), `${SA}'s srv → srv.${SB}`);
      assert.match(await probe(execIn(b), `srv.${SA}`, PORT), new RegExp(`^srv ${a.containerId!.slice(0, 12)}$`), `${SB}'s srv → srv.${SA}`);
      assert.match(await probe(execIn(b), commonAddress(a), PORT), /^srv [0-9a-f]{12}$/);
      // cli is not on the shared network: the other application stays out of its reach.
      const cli = runningMember(views[SA]!, 'cli');
      assert.equal(await probe(execIn(cli), commonAddress(b), PORT), 'refused', `${SA}'s cli must not reach ${SB}'s srv on the shared network`);
      assert.equal(await probe(execIn(cli), addressOf(b), PORT), 'refused', `${SA}'s cli must not reach ${SB}'s srv on its own network`);
      assert.match(await isolationRules(), new RegExp(`clocker:clocker-shared/${COMMON}`));
      for (const app of [SA, SB]) await assertIpamAddresses('local', await stack.clocker.status(app), COMMON, `clocker-shared/${COMMON}`, () => local);
    });

    test('the network stays while an application is on it, and goes with its subnet and rules after the last leaves', async () => {
      const gone = await stack.clocker.destroy(SA, 120_000);
      assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
      delete views[SA];
      assert.equal((await sharedSubnets()).length, 1, 'the subnet is still held');
      assert.deepEqual((await sharedSubnets())[0]!.addresses.filter((x) => !x.owner.startsWith(`${SB}/`)), [], `${SA}'s members gave their addresses back`);
      assert.equal((await local.listNetworks()).filter((n) => n.Name === sharedName).length, 1, 'the network is still there');
      const b = runningMember(views[SB]!, 'srv');
      assert.match(await probe(execIn(b), commonAddress(b), PORT), /^srv [0-9a-f]{12}$/);
      const last = await stack.clocker.destroy(SB, 120_000);
      assert.equal(last.status, 'DESTROYED', JSON.stringify(last));
      delete views[SB];
      assert.deepEqual(await sharedSubnets(), [], 'the subnet went back to IPAM');
      assert.deepEqual((await local.listNetworks()).filter((n) => n.Name === sharedName).map((n) => n.Name), [], 'the network is gone');
      assert.doesNotMatch(await isolationRules(), new RegExp(`clocker:clocker-shared/${COMMON}`));
    });
  });

  describe('overlay, across provisioned rig hosts', () => {
    const A = `iso-ra-${pid}`;
    const B = `iso-rb-${pid}`;
    const views: Record<string, AppView> = {};
    const deployMs: Record<string, number> = {};
    const SLOTS_A = { srv: 'h1', cli: 'h2' };
    const SLOTS_B = { srv: 'h2', cli: 'h3' };

    before(async () => {
      const hosts = rig.hosts.slice(0, 3).map((h) => `      - { id: ${h.name}, address: ${h.address}, root: ${provisionRoot(h.dir)}, labels: { slot: ${h.name} } }`);
      const file = join(stack.home, 'iso-infra.yaml');
      writeFileSync(file, [`name: ${rigInfra()}`, 'location:', '  byon:', '    key: $secret:iso-rig-key', '    hosts:', ...hosts, ''].join('\n'));
      await infraCreate(stack.clocker, file, { wait: false, timeoutSec: 0 });
      await stack.clocker.waitForInfrastructure(rigInfra(), (v) => v.hosts.length === 3 && v.hosts.every((h) => h.status === 'AVAILABLE'), 240_000);
      await Promise.all(rig.hosts.slice(0, 3).map((h) => copyImage(local, tlsDocker(h), BUSYBOX_IMAGE)));
    });

    after(async () => {
      for (const app of [A, B]) if (views[app]) await stack.clocker.destroy(app, 120_000).catch((err: unknown) => console.error(`destroy ${app}: ${String(err)}`));
    });

    test('two isolated applications deploy across the hosts, with rules on each host that carries a member', async () => {
      for (const [app, slots] of [[A, SLOTS_A], [B, SLOTS_B]] as const) {
        const started = Date.now();
        await stack.clocker.deploy(isolatedApp(app, rigInfra(), 'overlay', true, slots));
        views[app] = await stack.clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', 240_000);
        deployMs[app] = Date.now() - started;
        assert.equal(views[app]!.status, 'RUNNING', JSON.stringify(views[app]));
      }
      console.log(`overlay deploy (2 services on 2 of 3 hosts, with rules): ${deployMs[A]} ms (swarm formed on the way), ${deployMs[B]} ms`);
      for (const h of rig.hosts.slice(0, 3)) {
        const rules = await isolationRules(h.netns);
        for (const app of [A, B]) assert.match(rules, new RegExp(`-A CLOCKER-ISOLATION -o docker_gwbridge .*clocker:${app}/${NETWORK}.* -j DROP`), `${h.name}: ${rules}`);
      }
    });

    test('every member has the address IPAM gave it, on the overlay too', async () => {
      for (const app of [A, B]) await assertIpamAddresses(rigInfra(), await stack.clocker.status(app), NETWORK, `${app}/${NETWORK}`, (m) => tlsDocker(rig.hosts.find((h) => h.name === m.hostId)!));
    });

    test('each reaches its own members across hosts, by name and by address; neither reaches the other, either way', async () => {
      for (const app of [A, B]) {
        const [srv, cli] = [runningMember(views[app]!, 'srv'), runningMember(views[app]!, 'cli')];
        assert.notEqual(srv.hostId, cli.hostId);
        assert.match(await probe(execIn(cli), 'srv', PORT), /^srv [0-9a-f]{12}$/, `${app}: cli@${cli.hostId} → srv@${srv.hostId} by name`);
        assert.match(await probe(execIn(srv), addressOf(cli), PORT), /^cli [0-9a-f]{12}$/, `${app}: srv → cli by address`);
      }
      for (const [from, to] of [[A, B], [B, A]] as const) {
        for (const service of ['srv', 'cli']) {
          for (const origin of ['srv', 'cli']) {
            const target = runningMember(views[to]!, service);
            assert.equal(await probe(execIn(runningMember(views[from]!, origin)), addressOf(target), PORT), 'refused', `${from}'s ${origin} must not reach ${to}'s ${service}`);
          }
        }
      }
    });

    test("published ports answer from outside; a member's docker_gwbridge address, routed to from a machine beside the hosts, does not", async () => {
      for (const app of [A, B]) {
        const srv = runningMember(views[app]!, 'srv');
        assert.match(await fromOutside(srv.hostAddress, boundPort(srv)), /^srv [0-9a-f]{12}$/, `${app}: ${srv.hostAddress}:${boundPort(srv)}`);
        const host = rig.hosts.find((h) => h.name === srv.hostId)!;
        // Docker does not list the docker_gwbridge endpoint among the container's networks: its
        // address is the container's IPv4 address other than the overlay's.
        const listed = await run([...execIn(srv), 'ip', '-o', '-4', 'addr', 'show']);
        const gw = [...listed.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!).find((a) => a !== '127.0.0.1' && a !== addressOf(srv));
        assert.ok(gw, `${srv.containerName} has a docker_gwbridge address: ${listed}`);
        await run(['ip', '-n', outside().netns, 'route', 'replace', `${gw}/32`, 'via', host.address]);
        assert.equal(await fromOutside(gw, PORT), 'refused', `${app}: ${gw}:${PORT} on ${host.name} is closed from outside`);
        // The control: with a RETURN for docker_gwbridge put first in the chain for a moment, the
        // same probe is answered, so the route is right and it was the rules that closed it.
        const bypass = ['CLOCKER-ISOLATION', '1', '-o', 'docker_gwbridge', '-m', 'comment', '--comment', 'e2e-bypass', '-j', 'RETURN'];
        await run(['ip', 'netns', 'exec', host.netns, 'iptables', '-I', ...bypass]);
        try {
          assert.match(await fromOutside(gw, PORT), /^srv [0-9a-f]{12}$/, `${app}: ${gw}:${PORT} answers with the rules bypassed`);
        } finally {
          await run(['ip', 'netns', 'exec', host.netns, 'iptables', '-D', ...bypass.filter((w) => w !== '1')]);
        }
      }
    });

    test("encrypted: true asks every host's kernel first: it runs where IPsec ESP does, and is refused naming the hosts and the fix where it does not", async () => {
      const E = `iso-enc-${pid}`;
      const bp = isolatedApp(E, rigInfra(), 'overlay', false, SLOTS_A);
      bp.networks[0]!.encrypted = true;
      // The rig's hosts are namespaces of this machine: its kernel is theirs.
      const kernel = await runOnWorker(espProbeCommand());
      await stack.clocker.deploy(bp);
      const view = await stack.clocker.waitFor(E, (v) => v.status !== 'DEPLOYING', 240_000);
      try {
        if (kernel.exitCode === 0) {
          assert.equal(view.status, 'RUNNING', JSON.stringify(view));
          const [srv, cli] = [runningMember(view, 'srv'), runningMember(view, 'cli')];
          assert.match(await probe(execIn(cli), 'srv', PORT), /^srv [0-9a-f]{12}$/, 'cli → srv across hosts over the encrypted overlay');
          const states = await run(['ip', 'netns', 'exec', rig.hosts.find((h) => h.name === srv.hostId)!.netns, 'ip', 'xfrm', 'state']);
          assert.match(states, /proto esp/, `ESP states on ${srv.hostId}`);
        } else {
          console.log(`this kernel cannot carry an encrypted overlay (${kernel.stderr.trim()}): the deployment must be refused`);
          assert.equal(view.status, 'FAILED', JSON.stringify(view));
          const said = JSON.stringify(view);
          for (const h of ['h1', 'h2', 'h3']) assert.match(said, new RegExp(`host ${h}: its kernel`), `names ${h}: ${said}`);
          assert.match(said, /Remove `encrypted: true`/, said);
          // Refused before any network was made, on any host.
          for (const h of rig.hosts.slice(0, 3)) {
            const made = await tlsDocker(h).listNetworks({ filters: { name: [networkName(E, NETWORK, 'overlay')] } });
            assert.deepEqual(made.map((n) => n.Name), [], `${h.name} has no network of ${E}`);
          }
        }
      } finally {
        const gone = await stack.clocker.destroy(E, 120_000);
        assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
      }
      const infra = await stack.clocker.infrastructureStatus(rigInfra());
      assert.equal(infra.subnets.find((s) => s.owner === `${E}/${NETWORK}`), undefined, 'its subnet went back to IPAM');
    });

    test('numbers: the rules cost one round trip per host (local and over SSH); destroy takes them off every host', async () => {
      const script = stepsScript(isolationSteps([]));
      const timed = async (f: () => Promise<unknown>) => {
        const began = process.hrtime.bigint();
        await f();
        return Number(process.hrtime.bigint() - began) / 1e6;
      };
      const access = await stack.clocker.temporal.workflow.getHandle(workflowIds.infrastructure(rigInfra())).query(hostAccessQuery);
      const secrets = createSecretStore();
      const h1 = access.find((h) => h.id === 'h1');
      assert.ok(h1?.ssh, `h1 is reached over SSH: ${JSON.stringify(access)}`);
      const localMs: number[] = [];
      const sshMs: number[] = [];
      for (let i = 0; i < 5; i++) {
        localMs.push(await timed(() => runOnWorker({ argv: script })));
        sshMs.push(await timed(() => hostShellFor(h1, secrets)!({ argv: script })));
      }
      console.log(`rules already in place, checked (median of 5): local ${median(localMs).toFixed(0)} ms, over SSH ${median(sshMs).toFixed(0)} ms`);
      for (const app of [A, B]) {
        const gone = await stack.clocker.destroy(app, 120_000);
        assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
        delete views[app];
      }
      for (const h of rig.hosts.slice(0, 3)) {
        const rules = await isolationRules(h.netns);
        for (const app of [A, B]) assert.doesNotMatch(rules, new RegExp(`clocker:${app}/`), `${h.name}: ${rules}`);
      }
    });
  });
});
