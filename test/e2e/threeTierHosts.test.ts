// The three-tier example across the 3-host rig, for real: db, a web cluster of 3 spread over the
// hosts and the nginx balancer, on one network that names no driver, so overlay on this
// 3-host infrastructure (the swarm formed by Clocker). Web reaches the db by name, the
// balancer lists web's members by their network addresses, and no db or web port is published
// on any host: only the balancer's 8000. The balancer answers from its host's published port
// with pages from every web member, at least one of them on another host, each naming the db it
// reached; a rolling update of web goes member by member while the balancer keeps answering
// (polled every 100 ms), and a version with a missing image rolls back.
// e2e-group: beside (its own rig hosts; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../client/images/busyboxImage';
import { ensureDebianBaseImage } from '../../client/images/debianImage';
import { copyImage } from '../../client/images/imageTransfer';
import { ensureNginxImage, NGINX_LB_IMAGE } from '../../client/images/nginxImage';
import type { AppView, MemberView, ServiceView } from '../../domain/application/status';
import type { Blueprint } from '../../domain/blueprint/model';
import type { InfrastructureSpec } from '../../domain/infra/model';
import { createRig, type Rig } from '../rig/rig';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet } from '../support/dockerChecks';
import { startStack, type Stack } from '../support/stack';

const APP = 'three-tier-hosts';
const FILE = 'examples/three-tier-hosts.yaml';
const INFRA = 'rig';
const LB_PORT = 8000;
const NETWORK = 'tiers';
/** What web asks for, by name on the network (the example's DB_ADDRESS). */
const DB_BY_NAME = 'db:5432';
/**
 * An image no host has and none can pull: its registry (port 1 on the host itself) refuses at
 * once, on any machine. (A Docker Hub name would depend on the machine's DNS and network: the
 * rig's hosts have no resolver that answers, so dockerd takes 20 s to give up on it.)
 */
const BROKEN_IMAGE = '127.0.0.1:1/clocker/does-not-exist:1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function service(view: AppView, id: string): ServiceView {
  const s = view.services.find((x) => x.id === id);
  assert.ok(s, `service ${id} in ${JSON.stringify(view)}`);
  return s;
}

const running = (s: ServiceView): MemberView[] => s.members.filter((m) => m.state === 'RUNNING');

/** Where a member's container port answers on the network: "networkAddress:containerPort" (what `${web.members.tiers.8080}` lists). */
function onNetwork(m: MemberView, containerPort: number): string {
  const ip = m.networks?.[NETWORK];
  assert.ok(ip, `member ${m.member} has an address on ${NETWORK}: ${JSON.stringify(m)}`);
  return `${ip}:${containerPort}`;
}

/** The example on the rig, with web's VERSION (and image) as given. */
function blueprintWith(version: string, image?: string): Blueprint {
  const bp = readBlueprintFile(FILE);
  return {
    ...bp,
    location: INFRA,
    services: bp.services.map((s) => (s.id === 'web' ? { ...s, image: image ?? s.image, env: { ...s.env, VERSION: version } } : s)),
  };
}

/** One web page as the balancer relays it: "web <container> <version> -> db at <address>: db <container> ok". */
function pagePattern(dbAddress: string, dbContainer: string): RegExp {
  return new RegExp(`^web ([0-9a-f]{12}) (v\\d+) -> db at ${escape(dbAddress)}: db ${escape(dbContainer)} ok\\n?$`);
}

interface Poll {
  /** Milliseconds since polling started. */
  at: number;
  ok: boolean;
  body: string;
}

/** Runs `fn` while GETting `url` every ~100 ms; every answer is kept, and polling stops however `fn` ends. */
async function whilePolling<T>(url: string, fn: () => Promise<T>): Promise<{ result: T; polls: Poll[] }> {
  const polls: Poll[] = [];
  const start = Date.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const began = Date.now();
      const reply = await httpGet(url);
      polls.push({ at: began - start, ...reply });
      await sleep(Math.max(0, 100 - (Date.now() - began)));
    }
  })();
  try {
    return { result: await fn(), polls };
  } finally {
    stopped = true;
    await loop;
  }
}

/** Polls the status every 100 ms until `done`; `each` sees every view. */
async function watch(stack: Stack, done: (v: AppView) => boolean, timeoutMs: number, each?: (v: AppView) => void): Promise<AppView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await stack.clocker.status(APP);
    each?.(view);
    if (done(view)) return view;
    if (Date.now() > deadline) throw new Error(`${APP} is still ${view.status} (version ${view.version}) after ${timeoutMs / 1000}s: ${JSON.stringify(view)}`);
    await sleep(100);
  }
}

/** The polls that were not a web page matching `pattern` (with a version among `versions`). */
function badPolls(polls: Poll[], pattern: RegExp, versions: string[]): Poll[] {
  return polls.filter((p) => {
    const m = p.ok ? pattern.exec(p.body) : null;
    return !m || !versions.includes(m[2] ?? '');
  });
}

function describePolls(label: string, polls: Poll[], bad: Poll[]): string {
  const shown = bad.slice(0, 30).map((p) => `  +${p.at} ms ok=${p.ok} ${JSON.stringify(p.body.slice(0, 200))}`);
  return `${label}: ${bad.length} of ${polls.length} polls failed${bad.length > 30 ? ' (first 30)' : ''}:\n${shown.join('\n')}`;
}

describe('three tiers across the rig hosts', { skip: skipUnlessPresent('temporal', 'docker', 'rig', 'debootstrap') }, () => {
  const dockerFor = createDockerClientFactory();
  const local = dockerFor(localDockerEndpoint());
  let rig: Rig;
  let stack: Stack;
  // Set by the deployment, read by the later tests.
  let lbUrl = '';
  let backendsUrl = '';
  let page: RegExp = /^$/;

  const rigDocker = () => rig.hosts.map((h) => ({ host: h, docker: dockerFor(h.docker!) }));
  const webContainersOnRig = async () => {
    const all = await Promise.all(rigDocker().map(({ docker }) => appContainers(docker, APP)));
    return all.flat().filter((c) => c.Names[0]?.startsWith(`/${APP}.web.`));
  };
  /** Gets the balancer `times` times; returns the web containers that answered and the versions. */
  const sample = async (times: number) => {
    const containers = new Set<string>();
    const versions = new Set<string>();
    for (let i = 0; i < times; i++) {
      const reply = await httpGet(lbUrl);
      assert.equal(reply.ok, true, `balancer at ${lbUrl}: ${reply.body}`);
      const m = page.exec(reply.body);
      assert.ok(m, `a web page through the balancer: ${JSON.stringify(reply.body)} (want ${page})`);
      containers.add(m[1]!);
      versions.add(m[2]!);
    }
    return { containers: [...containers].sort(), versions: [...versions].sort() };
  };
  const backends = async () => {
    const reply = await httpGet(backendsUrl);
    assert.equal(reply.ok, true, reply.body);
    return reply.body.trim().split(',').filter(Boolean).sort();
  };

  before(async () => {
    await ensureBusyboxImage(local);
    await ensureDebianBaseImage(local);
    await ensureNginxImage(local);
    rig = await createRig({ hosts: 3, docker: true });
    const copyStarted = Date.now();
    await Promise.all(
      rigDocker().map(async ({ docker }) => {
        await copyImage(local, docker, BUSYBOX_IMAGE);
        await copyImage(local, docker, NGINX_LB_IMAGE);
      }),
    );
    console.log(`copied ${BUSYBOX_IMAGE} and ${NGINX_LB_IMAGE} to ${rig.hosts.length} rig hosts in ${Date.now() - copyStarted} ms`);
    stack = await startStack();
    await stack.startWorker();
    const infra: InfrastructureSpec = {
      name: INFRA,
      hosts: rig.hosts.map((h) => ({ id: h.name, address: h.address, docker: h.docker!, status: 'AVAILABLE', labels: {}, maxContainers: 10 })),
    };
    await stack.clocker.ensureInfrastructure(infra);
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown(); // removes whatever containers are left on the hosts
  });

  test('deploys across the hosts on one overlay network; the balancer answers with pages from all three web members, which reach the db by name; only the balancer publishes a port', async () => {
    const started = Date.now();
    await stack.clocker.deploy(blueprintWith('v1'));
    const view = await watch(stack, (v) => v.status !== 'DEPLOYING', 300_000);
    const deployMs = Date.now() - started;
    console.log(`three-tier-hosts: deploy → ${view.status} on the ${rig.hosts.length}-host rig in ${deployMs} ms`);
    assert.equal(view.status, 'RUNNING', JSON.stringify(view));

    const db = running(service(view, 'db'));
    const web = running(service(view, 'web'));
    const lb = running(service(view, 'lb'));
    assert.equal(db.length, 1);
    assert.equal(web.length, 3);
    assert.equal(lb.length, 1);
    const placement = Object.fromEntries(['db', 'web', 'lb'].map((id) => [id, running(service(view, id)).map((m) => `${m.member}@${m.hostId}`)]));
    console.log(`placement: ${JSON.stringify(placement)}`);
    const webHosts = new Set(web.map((m) => m.hostId));
    assert.ok(webHosts.size >= 2, `web's members are spread over the hosts: ${JSON.stringify(placement.web)}`);
    const rigAddresses = rig.hosts.map((h) => h.address);
    for (const m of [...db, ...web, ...lb]) assert.ok(rigAddresses.includes(m.hostAddress), `${m.containerName} is on a rig host: ${m.hostAddress}`);

    // One overlay network across the hosts, chosen because the blueprint named no driver.
    assert.deepEqual(view.networks?.map((n) => [n.id, n.driver, n.chosen]), [[NETWORK, 'overlay', `infrastructure "${INFRA}" has ${rig.hosts.length} hosts`]]);
    // No host port between the tiers: db and web publish nothing, on any host; lb only 8000.
    for (const m of [...db, ...web]) assert.deepEqual(m.ports.filter((p) => p.boundHostPort !== undefined), [], `${m.containerName} publishes nothing`);
    assert.deepEqual(lb[0]!.ports.map((p) => p.boundHostPort), [LB_PORT]);
    const onRig = (await Promise.all(rigDocker().map(({ docker }) => appContainers(docker, APP)))).flat();
    for (const c of onRig) {
      // (Docker lists a port bound on 0.0.0.0 and on :: once each.)
      const hostPorts = [...new Set(c.Ports.filter((p) => p.PublicPort !== undefined).map((p) => p.PublicPort))];
      assert.deepEqual(hostPorts, c.Names[0]?.startsWith(`/${APP}.lb.`) ? [LB_PORT] : [], `${c.Names[0]} host ports`);
    }
    // Pages must cross hosts: the balancer's host is not every web member's.
    assert.ok(web.some((m) => m.hostId !== lb[0]!.hostId), `a web member on another host than the balancer (${lb[0]!.hostId}): ${JSON.stringify(placement.web)}`);

    page = pagePattern(DB_BY_NAME, db[0]!.containerId!.slice(0, 12));
    lbUrl = `http://${lb[0]!.hostAddress}:${LB_PORT}/`;
    backendsUrl = `http://${lb[0]!.hostAddress}:${LB_PORT}/clocker-lb/backends`;

    const webContainers = web.map((m) => m.containerId!.slice(0, 12)).sort();
    const seen = await sample(12);
    assert.deepEqual(seen.containers, webContainers, `pages came from every web member (each reached the db at ${DB_BY_NAME})`);
    assert.deepEqual(seen.versions, ['v1']);
    assert.deepEqual(await backends(), web.map((m) => onNetwork(m, 8080)).sort());
  });

  test('a rolling update of web goes member by member with the balancer answering; a broken image rolls back', async () => {
    assert.ok(lbUrl, 'the deployment test ran');
    // v1 → v2, the balancer polled all along.
    let mostWebMembers = 0;
    const rolloutStarted = Date.now();
    const { result: rollout, polls } = await whilePolling(lbUrl, async () => {
      const update = await stack.clocker.deploy(blueprintWith('v2'));
      assert.equal(update.kind, 'updated');
      const v2 = update.kind === 'updated' ? update.version : 0;
      const done = await watch(
        stack,
        (v) => v.version === v2 && v.status !== 'UPDATING',
        300_000,
        (v) => {
          const web = v.services.find((s) => s.id === 'web');
          mostWebMembers = Math.max(mostWebMembers, web?.members.filter((m) => m.state !== 'REMOVED').length ?? 0);
        },
      );
      const rolloutMs = Date.now() - rolloutStarted;
      // The balancer hears of the last member change by its reload: give that a moment.
      const expected = running(service(done, 'web')).map((m) => onNetwork(m, 8080)).sort();
      const settleDeadline = Date.now() + 20_000;
      let lastBackends = await backends();
      while (JSON.stringify(lastBackends) !== JSON.stringify(expected) && Date.now() < settleDeadline) {
        await sleep(200);
        lastBackends = await backends();
      }
      return { done, rolloutMs, lastBackends };
    });
    const { done, rolloutMs, lastBackends } = rollout;
    const versionsSeen = polls.map((p) => page.exec(p.body)?.[2]).filter((x): x is string => x !== undefined);
    const count = (v: string) => versionsSeen.filter((x) => x === v).length;
    console.log(`rolling update v1 → v2: ${rolloutMs} ms; ${polls.length} balancer polls (${count('v1')} v1, ${count('v2')} v2 pages); at most ${mostWebMembers} web members at once`);
    assert.equal(done.status, 'RUNNING', JSON.stringify(done));
    const web = service(done, 'web');
    assert.equal(web.rollout?.outcome, 'DONE', JSON.stringify(web.rollout));
    const current = running(web);
    assert.equal(current.length, 3);
    const expectedBackends = current.map((m) => onNetwork(m, 8080)).sort();

    const bad = badPolls(polls, page, ['v1', 'v2']);
    if (bad.length > 0) console.log(describePolls('during the rolling update', polls, bad));
    assert.ok(mostWebMembers <= 4, `one member at a time: at most one extra web member (saw ${mostWebMembers})`);
    assert.deepEqual(lastBackends, expectedBackends, "the balancer's backends are exactly the current web members");
    assert.equal(bad.length, 0, describePolls('during the rolling update', polls, bad));
    assert.ok(versionsSeen.includes('v1') && versionsSeen.includes('v2'), `pages switched from v1 to v2: ${[...new Set(versionsSeen)].join(', ')}`);
    assert.equal(versionsSeen.at(-1), 'v2', 'the last poll answered v2');
    const afterRollout = await sample(12);
    assert.deepEqual(afterRollout.versions, ['v2']);
    assert.deepEqual(afterRollout.containers, current.map((m) => m.containerId!.slice(0, 12)).sort(), 'pages come from the three new members');
    assert.ok(current.every((m) => m.generation === web.generation), JSON.stringify(current));

    // v3 with an image no host has: rolled back, the balancer answering v2 all along.
    const { result: rolledBack, polls: brokenPolls } = await whilePolling(lbUrl, async () => {
      const broken = await stack.clocker.deploy(blueprintWith('v3', BROKEN_IMAGE));
      const v3 = broken.kind === 'updated' ? broken.version : 0;
      return watch(stack, (v) => v.version === v3 && v.status !== 'UPDATING', 300_000);
    });
    const webAfter = service(rolledBack, 'web');
    console.log(`broken image: ${webAfter.rollout?.outcome} after ${brokenPolls.length} balancer polls: ${webAfter.rollout?.message}`);
    assert.equal(webAfter.rollout?.outcome, 'ROLLED_BACK', JSON.stringify(webAfter));
    assert.match(webAfter.rollout?.message ?? '', new RegExp(`ImageNotFoundError: image ${escape(BROKEN_IMAGE)} `));
    assert.deepEqual(rolledBack.rolledBack, { version: rolledBack.version, services: ['web'] });
    const badBroken = badPolls(brokenPolls, page, ['v2']);
    assert.equal(badBroken.length, 0, describePolls('while the broken version rolled back', brokenPolls, badBroken));
    assert.deepEqual(running(webAfter).map((m) => m.containerId).sort(), current.map((m) => m.containerId).sort(), 'the v2 members stayed');
    assert.equal((await webContainersOnRig()).length, 3);
    assert.deepEqual(await backends(), expectedBackends);
    assert.deepEqual((await sample(6)).versions, ['v2']);
  });

  test('destroy leaves no container or network of the application on any host', async () => {
    const view = await stack.clocker.destroy(APP, 120_000);
    assert.equal(view.status, 'DESTROYED', JSON.stringify(view));
    for (const { host, docker } of rigDocker()) {
      assert.deepEqual((await appContainers(docker, APP)).map((c) => c.Names[0]), [], `on ${host.name}`);
      // The overlay is swarm-scoped: the manager removes it, and a worker node drops its copy a
      // moment later (CI saw it still listed on h2 right after the destroy), as in overlayNetworks.
      await waitUntil(`no network of ${APP} left on ${host.name}`, 30_000, async () => (await docker.listNetworks({ filters: { name: [APP] } })).length === 0);
    }
  });
});
