// The infrastructure keeps its Docker swarm in step with its hosts, for real, on provisioned rig
// hosts: an overlay application over four hosts forms the swarm (three managers, one worker).
// Removing a manager host takes its node out of the swarm (`docker node ls` on a manager) and
// promotes the worker, so three live hosts keep three managers, and the member that lived there
// is placed again and reached by name over the overlay. A host added during the run joins the
// swarm before anything is placed on it, and a member placed there is reached by name. A manager
// host that fails (its dockerd stops) is demoted and the worker promoted; the member rescheduled
// from it keeps its service name and reaches, and is reached by, the others. When it comes back
// it is a ready worker of the swarm again.
// Numbers: time from removeHost to the node gone, from addHost to the join, from the failure to
// the promotion, from the comeback to the node ready.
// e2e-group: beside (its own rig hosts, an app named by pid; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { infraCreate } from '../../client/commands/infraCreate';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { copyImage } from '../../client/images/imageTransfer';
import type { AppView, MemberView } from '../../domain/application/status';
import { managerCount } from '../../domain/infra/swarmPlan';
import { startDockerd, stopDockerd } from '../rig/hostOutage';
import { provisionRoot } from '../rig/provisionedDaemons';
import type { Rig, RigHost } from '../rig/rig';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { run } from '../support/exec';
import { MESH_PORT, meshBlueprint } from '../support/meshApp';
import { startRigStack } from '../support/rigStack';
import type { Stack } from '../support/stack';

const APP = `swarm-${process.pid}`;
const NETWORK = 'mesh';
/** Host labels `slot:`: a on h1; b and c on any of h2..h4 (so they can move); d on h5. */
const SLOTS: Record<string, string> = { a: 'one', b: 'any', c: 'any', d: 'five' };
const mesh = (infrastructure: string, services: string[]) => meshBlueprint({ app: APP, infrastructure, services, slots: SLOTS, network: { id: NETWORK, driver: 'overlay' } });

interface NodeRow {
  addr: string;
  role: string;
  /** A Raft member that its peers reach. */
  voting: boolean;
  state: string;
}

describe('the infrastructure repairs its swarm as hosts are removed, added and fail', { skip: skipUnlessPresent('temporal', 'docker', 'rig') }, () => {
  const local = createDockerClientFactory()(localDockerEndpoint());
  let rig: Rig;
  let stack: Stack;
  let home = '';
  let services = ['a', 'b', 'c'];
  const infraName = () => `swarm-${rig.id}`;
  const tls = () => join(home, 'infra', infraName(), 'tls', 'client');
  const hostOf = (id: string): RigHost => rig.hosts.find((h) => h.name === id)!;
  const engine = (h: RigHost) =>
    new Docker({ protocol: 'https', host: h.address, port: 2376, ca: readFileSync(join(tls(), 'ca.pem')), cert: readFileSync(join(tls(), 'cert.pem')), key: readFileSync(join(tls(), 'key.pem')) });
  const dockerCli = (h: RigHost) => ['docker', '--tlsverify', '--tlscacert', join(tls(), 'ca.pem'), '--tlscert', join(tls(), 'cert.pem'), '--tlskey', join(tls(), 'key.pem'), '-H', `tcp://${h.address}:2376`];
  const inside = (m: MemberView, script: string) => run([...dockerCli(hostOf(m.hostId)), 'exec', m.containerName, 'sh', '-c', script]);
  const probe = (m: MemberView, target: string) => inside(m, `nc -w 3 ${target} ${MESH_PORT} </dev/null | grep . || echo refused`).then((out) => out.trim().split('\n').at(-1) ?? '');
  /** Until `from` reaches `service` by name and the member that answers is `to` (names follow a moved member within seconds). */
  const reaches = (from: MemberView, service: string, to: MemberView) =>
    waitUntil(`${from.containerName}@${from.hostId} reaches ${service} (${to.containerName}@${to.hostId}) by name`, 30_000, async () => (await probe(from, service)) === `${service} ${to.containerId!.slice(0, 12)}`);
  const hostByAddr = (addr: string) => rig.hosts.find((h) => h.address === addr)?.name ?? addr;
  /** `docker node ls` on a live manager, by host. */
  const nodesSeenFrom = async (managerHost: RigHost): Promise<Record<string, NodeRow>> => {
    const list = (await engine(managerHost).listNodes()) as Array<{ Spec: { Role: string }; Status: { State: string; Addr: string }; ManagerStatus?: { Reachability: string; Addr: string } }>;
    const rows: Record<string, NodeRow> = {};
    for (const n of list) {
      const addr = n.Status.Addr && n.Status.Addr !== '0.0.0.0' ? n.Status.Addr : (n.ManagerStatus?.Addr ?? '').replace(/:\d+$/, '');
      rows[hostByAddr(addr)] = { addr, role: n.Spec.Role, voting: n.ManagerStatus?.Reachability === 'reachable', state: n.Status.State };
    }
    return rows;
  };
  const swarmLine = (rows: Record<string, NodeRow>) => Object.entries(rows).sort().map(([h, r]) => `${h}:${r.role}${r.voting ? '*' : ''}/${r.state}`).join(' ');
  const running = (view: AppView) => view.services.flatMap((s) => s.members.filter((m) => m.state === 'RUNNING'));
  const serviceOf = (m: MemberView) => services.find((s) => m.containerName.startsWith(`${APP}.${s}.`))!;
  const liveHosts = async () => (await stack.clocker.infrastructureStatus(infraName())).hosts.filter((h) => h.status === 'AVAILABLE').map((h) => h.id);
  /** Every running member reaches every other by its service name over the overlay. */
  const meshReaches = async (members: MemberView[]) => {
    for (const from of members) for (const to of members) if (to !== from) await reaches(from, serviceOf(to), to);
  };
  /** Waits until every service has one running member off `avoid` hosts, then returns them. */
  const settled = async (avoid: string[], timeoutMs = 240_000) => {
    const view = await stack.clocker.waitFor(APP, (v) => services.every((s) => running(v).some((m) => serviceOf(m) === s && !avoid.includes(m.hostId))), timeoutMs);
    return services.map((s) => running(view).find((m) => serviceOf(m) === s && !avoid.includes(m.hostId))!);
  };

  before(async () => {
    await ensureBusyboxImage(local);
    // h1..h4 from the start; h5 joins the infrastructure during the run.
    ({ rig, stack, home } = await startRigStack(5, 'CLOCKER_SECRET_SWARM_RIG_KEY'));
    const slot = (h: RigHost) => (h.name === 'h1' ? 'one' : 'any');
    const hosts = rig.hosts.slice(0, 4).map((h) => `      - { id: ${h.name}, address: ${h.address}, root: ${provisionRoot(h.dir)}, labels: { slot: ${slot(h)} } }`);
    const file = join(stack.home, 'swarm-infra.yaml');
    writeFileSync(file, [`name: ${infraName()}`, 'drainTimeoutSeconds: 90', 'location:', '  byon:', '    key: $secret:swarm-rig-key', '    hosts:', ...hosts, ''].join('\n'));
    await infraCreate(stack.clocker, file, { wait: false, timeoutSec: 0 });
    await stack.clocker.waitForInfrastructure(infraName(), (v) => v.hosts.length === 4 && v.hosts.every((h) => h.status === 'AVAILABLE'), 300_000);
    await Promise.all(rig.hosts.slice(0, 4).map((h) => copyImage(local, engine(h), BUSYBOX_IMAGE)));
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown();
  });

  let members: MemberView[] = [];
  let removed = '';
  let failed = '';

  test('an overlay application over four hosts forms the swarm: three managers, one worker', async () => {
    await stack.clocker.deploy(mesh(infraName(), services));
    const view = await stack.clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 240_000);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));
    members = running(view);
    assert.equal(members.length, 3);
    const rows = await nodesSeenFrom(hostOf('h1'));
    console.log(`swarm formed: ${swarmLine(rows)}`);
    assert.deepEqual(Object.keys(rows).sort(), ['h1', 'h2', 'h3', 'h4']);
    assert.equal(Object.values(rows).filter((r) => r.role === 'manager').length, managerCount(4));
    await meshReaches(members);
  });

  test('a removed manager host leaves the swarm: its node is gone, a worker is promoted, and the members reach each other by name', async () => {
    assert.equal(members.length, 3, 'the deployment test ran');
    const before = await nodesSeenFrom(hostOf('h1'));
    // A manager among h2..h4 that carries a member (two managers and two members among three hosts: one does).
    removed = ['h2', 'h3', 'h4'].find((h) => before[h]?.role === 'manager' && members.some((m) => m.hostId === h))!;
    assert.ok(removed, `a manager with a member among h2..h4: ${swarmLine(before)}`);
    const started = Date.now();
    await stack.clocker.removeHost(infraName(), removed);
    await stack.clocker.waitForInfrastructure(infraName(), (v) => !v.hosts.some((h) => h.id === removed), 180_000);
    const left = await liveHosts();
    let rows: Record<string, NodeRow> = {};
    await waitUntil(`${removed}'s node gone and ${managerCount(left.length)} managers for ${left.length} live hosts`, 90_000, async () => {
      rows = await nodesSeenFrom(hostOf('h1'));
      return !(removed in rows) && Object.values(rows).filter((r) => r.role === 'manager' && r.voting).length === managerCount(left.length);
    });
    console.log(`removeHost ${removed} → node gone, managers ${managerCount(left.length)}: ${Date.now() - started} ms (${swarmLine(rows)})`);
    assert.deepEqual(Object.keys(rows).sort(), [...left].sort());
    // The node list as the docker CLI shows it, on another manager: the same three hosts.
    const otherManager = left.find((h) => h !== 'h1' && rows[h]?.role === 'manager')!;
    const listed = (await run([...dockerCli(hostOf(otherManager)), 'node', 'ls', '--format', '{{.ID}}'])).trim().split('\n');
    assert.equal(listed.length, left.length, `docker node ls on ${otherManager}: ${listed.join(', ')}`);
    members = await settled([removed]);
    await meshReaches(members);
  });

  test('a host added during the run joins the swarm, and a member placed there is reached by name', async () => {
    assert.ok(removed, 'the removal test ran');
    const h5 = hostOf('h5');
    const started = Date.now();
    await stack.clocker.addHost(infraName(), { host: { id: 'h5', address: h5.address, port: 22, user: 'root', keyRef: '$secret:swarm-rig-key', root: provisionRoot(h5.dir), labels: { slot: 'five' } } });
    await stack.clocker.waitForInfrastructure(infraName(), (v) => v.hosts.some((h) => h.id === 'h5' && h.status === 'AVAILABLE'), 240_000);
    // Nothing is placed there yet: the infrastructure's repair joins it.
    let rows: Record<string, NodeRow> = {};
    await waitUntil('h5 in the swarm', 60_000, async () => {
      rows = await nodesSeenFrom(hostOf('h1'));
      return rows['h5']?.state === 'ready';
    });
    console.log(`addHost h5 → in the swarm: ${Date.now() - started} ms (${swarmLine(rows)})`);
    assert.equal(rows['h5']!.role, 'worker', `a fourth live host beside three managers is a worker: ${swarmLine(rows)}`);
    await copyImage(local, engine(h5), BUSYBOX_IMAGE);
    services = ['a', 'b', 'c', 'd'];
    const answer = await stack.clocker.deploy(mesh(infraName(), services));
    assert.equal(answer.kind, 'updated', JSON.stringify(answer));
    members = await settled([removed]);
    const d = members.find((m) => serviceOf(m) === 'd')!;
    assert.equal(d.hostId, 'h5');
    await meshReaches(members);
  });

  test('a manager host that fails is demoted and the worker promoted; its member, placed again, keeps its name and reaches the others', async () => {
    assert.equal(services.length, 4, 'the host-added test ran');
    const before = await nodesSeenFrom(hostOf('h1'));
    const victim = ['h2', 'h3', 'h4'].find((h) => h !== removed && before[h]?.role === 'manager' && members.some((m) => m.hostId === h))!;
    assert.ok(victim, `a manager with a member: ${swarmLine(before)}`);
    const moving = serviceOf(members.find((m) => m.hostId === victim)!);
    failed = victim;
    const started = Date.now();
    await stopDockerd(hostOf(victim));
    await stack.clocker.waitForInfrastructure(infraName(), (v) => v.hosts.some((h) => h.id === victim && h.status === 'FAILED'), 120_000);
    const failedAfter = Date.now() - started;
    const live = await liveHosts();
    let rows: Record<string, NodeRow> = {};
    await waitUntil(`${victim} demoted and ${managerCount(live.length)} voting managers among ${live.join(', ')}`, 90_000, async () => {
      rows = await nodesSeenFrom(hostOf('h1'));
      const voting = Object.entries(rows).filter(([, r]) => r.role === 'manager' && r.voting).map(([h]) => h);
      return rows[victim]?.role === 'worker' && voting.length === managerCount(live.length) && voting.every((h) => live.includes(h));
    });
    console.log(`dockerd stopped on ${victim} → FAILED in ${failedAfter} ms, demoted and worker promoted in ${Date.now() - started} ms (${swarmLine(rows)})`);
    assert.equal(rows['h5']?.role, 'manager', 'the worker h5 was promoted');
    members = await settled([removed, victim]);
    const moved = members.find((m) => serviceOf(m) === moving)!;
    assert.notEqual(moved.hostId, victim);
    const a = members.find((m) => serviceOf(m) === 'a')!;
    const d = members.find((m) => serviceOf(m) === 'd')!;
    await reaches(a, moving, moved);
    await reaches(d, moving, moved);
    await reaches(moved, 'a', a);
    await reaches(moved, 'd', d);
  });

  test('a failed host that comes back is in the swarm again, as a ready worker beside three managers', async () => {
    assert.ok(failed, 'the failure test ran');
    const started = Date.now();
    await startDockerd(hostOf(failed));
    await stack.clocker.waitForInfrastructure(infraName(), (v) => v.hosts.some((h) => h.id === failed && h.status === 'AVAILABLE'), 120_000);
    const live = await liveHosts();
    let rows: Record<string, NodeRow> = {};
    await waitUntil(`${failed} ready in the swarm and ${managerCount(live.length)} voting managers`, 60_000, async () => {
      rows = await nodesSeenFrom(hostOf('h1'));
      return rows[failed]?.state === 'ready' && Object.values(rows).filter((r) => r.role === 'manager' && r.voting).length === managerCount(live.length);
    });
    console.log(`dockerd started again on ${failed} → ready in the swarm: ${Date.now() - started} ms (${swarmLine(rows)})`);
    assert.equal(rows[failed]!.role, 'worker');
    assert.deepEqual(Object.keys(rows).sort(), [...live].sort());
  });
});
