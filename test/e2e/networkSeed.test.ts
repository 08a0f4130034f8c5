// The seed's VirtualNetwork blueprint (examples/network-seed.yaml, from the ApacheCon 2015
// talk) deployed as written onto three provisioned rig hosts (`--location`): database-net
// (192.168.34.0/24, gateway .1, its DNS server bind-server's address, addIptablesRules: true)
// names no driver, so it is overlay on this infrastructure. db, grown to 3 members over the
// hosts by the next version, reaches each of its members across hosts by name and by address, each in the seed's
// subnet; each member's DNS server is bind-server's address (Docker's embedded resolver, the one
// in resolv.conf, forwards to it what it does not know); nothing outside the network
// reaches a db member's address (bind-server's member on the other network, and a machine
// beside the hosts routed to it), while db's published port still answers. Destroy takes the
// network and its rules off every host.
// e2e-group: beside (its own rig hosts, its own infrastructure; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { infraCreate } from '../../client/commands/infraCreate';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { copyImage } from '../../client/images/imageTransfer';
import type { AppView, MemberView } from '../../domain/application/status';
import { provisionRoot } from '../rig/provisionedDaemons';
import type { Rig, RigHost } from '../rig/rig';
import { skipUnlessPresent } from '../support/components';
import { run } from '../support/exec';
import { startRigStack } from '../support/rigStack';
import type { Stack } from '../support/stack';

const FILE = 'examples/network-seed.yaml';
const APP = 'database-app';
const NETWORK = 'database-net';
const SUBNET = /^192\.168\.34\.(\d+)$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = (view: AppView, service: string): MemberView[] => view.services.find((s) => s.id === service)?.members.filter((m) => m.state === 'RUNNING') ?? [];
const addressOf = (m: MemberView) => {
  const a = m.networks?.[NETWORK];
  assert.ok(a, `${m.containerName} has an address on ${NETWORK}: ${JSON.stringify(m)}`);
  return a;
};

describe('the seed network blueprint across the rig hosts', { skip: skipUnlessPresent('temporal', 'docker', 'rig') }, () => {
  const dockerFor = createDockerClientFactory();
  const local = dockerFor(localDockerEndpoint());
  let rig: Rig;
  let stack: Stack;
  let home = '';
  let view: AppView | undefined;
  const infra = () => `seed-${rig.id}`;
  /** h4: in the rig, not in the infrastructure: a machine beside the hosts. */
  const outside = () => rig.hosts[3]!;
  const tls = () => join(home, 'infra', infra(), 'tls', 'client');
  const tlsDocker = (h: RigHost) =>
    new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(tls(), 'ca.pem')), cert: readFileSync(join(tls(), 'cert.pem')), key: readFileSync(join(tls(), 'key.pem')) });
  const hostOf = (m: MemberView) => {
    const h = rig.hosts.find((x) => x.name === m.hostId);
    assert.ok(h, `${m.containerName} is on a rig host: ${m.hostId}`);
    return h;
  };
  const execIn = (m: MemberView): string[] => [
    'docker', '--tlsverify', '--tlscacert', join(tls(), 'ca.pem'), '--tlscert', join(tls(), 'cert.pem'), '--tlskey', join(tls(), 'key.pem'),
    '-H', `tcp://${hostOf(m).address}:2376`, 'exec', m.containerName,
  ];
  /** The db answers one connection at a time ("ok"), so a probe may land between two: asked up to 5 times, 1 s apart. */
  const ask = async (prefix: string[], address: string, port: number, nc = 'nc'): Promise<string> => {
    let last = '';
    for (let i = 0; i < 5; i++) {
      last = (await run([...prefix, 'sh', '-c', `${nc} -w 2 ${address} ${port} </dev/null | grep . || echo refused`])).trim().split('\n').at(-1) ?? '';
      if (last !== 'refused') return last;
      await sleep(1000);
    }
    return last;
  };
  const isolationRules = (h: RigHost) => run(['ip', 'netns', 'exec', h.netns, 'iptables', '-S', 'CLOCKER-ISOLATION'], { allowFail: true });

  before(async () => {
    await ensureBusyboxImage(local);
    ({ rig, stack, home } = await startRigStack(4, 'CLOCKER_SECRET_SEED_RIG_KEY'));
    const hosts = rig.hosts.slice(0, 3).map((h) => `      - { id: ${h.name}, address: ${h.address}, root: ${provisionRoot(h.dir)} }`);
    const file = join(stack.home, 'seed-infra.yaml');
    writeFileSync(file, [`name: ${infra()}`, 'location:', '  byon:', '    key: $secret:seed-rig-key', '    hosts:', ...hosts, ''].join('\n'));
    await infraCreate(stack.clocker, file, { wait: false, timeoutSec: 0 });
    await stack.clocker.waitForInfrastructure(infra(), (v) => v.hosts.length === 3 && v.hosts.every((h) => h.status === 'AVAILABLE'), 240_000);
    await Promise.all(rig.hosts.slice(0, 3).map((h) => copyImage(local, tlsDocker(h), BUSYBOX_IMAGE)));
  });

  after(async () => {
    if (view && view.status !== 'DESTROYED') await stack.clocker.destroy(APP, 120_000).catch((err: unknown) => console.error(`destroy ${APP}: ${String(err)}`));
    await stack?.stop();
    await rig?.teardown();
  });

  test('deploys as written with --location; its networks are overlay (no driver written), database-net on the seed subnet', async () => {
    const started = Date.now();
    // `clocker deploy examples/network-seed.yaml --location <rig infrastructure>`
    await stack.clocker.deploy({ ...readBlueprintFile(FILE), location: infra() });
    view = await stack.clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 240_000);
    console.log(`${FILE}: deploy → ${view.status} on ${infra()} in ${Date.now() - started} ms`);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    const reason = `infrastructure "${infra()}" has 3 hosts`;
    assert.deepEqual(view.networks?.map((n) => [n.id, n.driver, n.cidr, n.chosen]), [
      [NETWORK, 'overlay', '192.168.34.0/24', reason],
      ['default', 'overlay', view.networks?.[1]?.cidr, reason],
    ]);
    for (const h of rig.hosts.slice(0, 3)) {
      const rules = await isolationRules(h);
      assert.match(rules, new RegExp(`-A CLOCKER-ISOLATION -o docker_gwbridge .*clocker:${APP}/${NETWORK}.* -j DROP`), `${h.name}: ${rules}`);
    }
  });

  test('db, grown to 3 over the hosts by a version: every member reaches every other across hosts by name and by address in 192.168.34.0/24', async () => {
    assert.ok(view, 'the deployment test ran');
    // The seed's db has no cluster (1..1 members), so no resize can grow it: the next version is
    // the same file with db as a cluster of 3, its only change.
    const written = { ...readBlueprintFile(FILE), location: infra() };
    const next = { ...written, services: written.services.map((x) => (x.id === 'db' ? { ...x, count: 3, size: { initial: 3, min: 1, max: 3 } } : x)) };
    const update = await stack.clocker.deploy(next);
    assert.equal(update.kind, 'updated');
    const version = update.kind === 'updated' ? update.version : 0;
    view = await stack.clocker.waitFor(APP, (v) => v.version === version && running(v, 'db').length === 3 && v.status === 'RUNNING', 240_000);
    const db = running(view, 'db');
    assert.equal(new Set(db.map((m) => m.hostId)).size, 3, `db's members on the 3 hosts: ${db.map((m) => `${m.member}@${m.hostId}`).join(', ')}`);
    for (const m of db) assert.match(addressOf(m), SUBNET, `${m.containerName} in the seed's subnet`);
    assert.ok(db.every((m) => addressOf(m) !== '192.168.34.1'), "the gateway is the network's, never a member's");
    for (const from of db) {
      for (const to of db.filter((x) => x !== from)) {
        assert.equal(await ask(execIn(from), addressOf(to), 5432), 'ok', `${from.containerName}@${from.hostId} → ${addressOf(to)} (${to.hostId})`);
      }
      // By name: Docker's DNS on the overlay answers `db` with every member's address.
      const names = await run([...execIn(from), 'nslookup', 'db']);
      for (const to of db) assert.ok(names.includes(addressOf(to)), `${from.containerName}: db resolves to ${addressOf(to)}: ${names}`);
      assert.equal(await ask(execIn(from), 'db', 5432), 'ok', `${from.containerName}@${from.hostId} → db by name`);
    }
  });

  test("each db member's DNS server is bind-server's address, behind Docker's embedded resolver", async () => {
    assert.ok(view);
    const bind = running(view, 'bind-server')[0];
    assert.ok(bind, JSON.stringify(view));
    for (const m of running(view, 'db')) {
      const inspected = (await tlsDocker(hostOf(m)).getContainer(m.containerName).inspect()) as { HostConfig: { Dns?: string[] | null } };
      assert.deepEqual(inspected.HostConfig.Dns, [bind.hostAddress], `${m.containerName}'s DNS server`);
      // On a user-defined network Docker 20.10 writes its embedded resolver into resolv.conf (it
      // answers service names) and forwards every other name to the container's DNS servers.
      const resolv = await run([...execIn(m), 'cat', '/etc/resolv.conf']);
      assert.match(resolv, /^nameserver 127\.0\.0\.11$/m, `${m.containerName}'s /etc/resolv.conf: ${resolv}`);
    }
  });

  test("isolation: bind-server's member (another network) and a machine beside the hosts cannot reach a db member's address; db's published port answers", async () => {
    assert.ok(view);
    const bind = running(view, 'bind-server')[0]!;
    const db = running(view, 'db');
    for (const m of db) assert.equal(await ask(execIn(bind), addressOf(m), 5432), 'refused', `bind-server@${bind.hostId} must not reach ${m.containerName}@${m.hostId}`);
    const target = db[0]!;
    const host = hostOf(target);
    const listed = await run([...execIn(target), 'ip', '-o', '-4', 'addr', 'show']);
    // Its docker_gwbridge address: the one that is neither loopback nor the overlay's.
    const gw = [...listed.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((x) => x[1]!).find((a) => a !== '127.0.0.1' && a !== addressOf(target));
    assert.ok(gw, `${target.containerName} has a docker_gwbridge address: ${listed}`);
    await run(['ip', '-n', outside().netns, 'route', 'replace', `${gw}/32`, 'via', host.address]);
    const fromOutside = ['nsenter', `--net=/var/run/netns/${outside().netns}`];
    assert.equal(await ask(fromOutside, gw, 5432, 'busybox nc'), 'refused', `${gw}:5432 on ${host.name} is closed from outside`);
    const bound = target.ports.find((p) => p.containerPort === 5432)?.boundHostPort;
    assert.ok(bound !== undefined, JSON.stringify(target.ports));
    assert.equal(await ask(fromOutside, target.hostAddress, bound, 'busybox nc'), 'ok', `db's published port ${target.hostAddress}:${bound} answers from outside`);
  });

  test('destroy takes the networks and rules off every host', async () => {
    const gone = await stack.clocker.destroy(APP, 120_000);
    view = gone;
    assert.equal(gone.status, 'DESTROYED', JSON.stringify(gone));
    for (const h of rig.hosts.slice(0, 3)) {
      assert.doesNotMatch(await isolationRules(h), new RegExp(`clocker:${APP}/`), h.name);
      const left = await tlsDocker(h).listNetworks({ filters: { name: [APP] } });
      assert.deepEqual(left.map((n) => n.Name), [], `${h.name}: no network of ${APP}`);
    }
  });
});
