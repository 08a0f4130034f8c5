// Docker's voting app deployed from its Compose file, the way a user runs it
// (`clocker deploy examples/voting-app/docker-compose.yml`) on the local engine: the images
// are built from their contexts, every service answers where Compose would put it, a vote
// crosses vote → redis → worker → db → result by service names, the inspector port is on
// 127.0.0.1 only, the seed profile runs only when asked for, and destroy leaves nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { LABEL } from '../../domain/naming';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { startLocalStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');
const EXAMPLE = join(ROOT, 'examples', 'voting-app');
const APP = 'voting-app'; // Compose's project name: the file's folder
const COMPOSE_PORTS = { vote: 8080, result: 8081, inspector: 9229 };

type Ports = typeof COMPOSE_PORTS;

/** `node bin/clocker.js ARGS` against the test's stack: the exit code, stdout, and all output (warnings go to stderr). */
function clocker(stack: Stack, args: string[]): Promise<{ code: number; stdout: string; out: string }> {
  const env = {
    ...process.env,
    CLOCKER_HOME: stack.home,
    CLOCKER_TEMPORAL_ADDRESS: stack.server.address,
    CLOCKER_TASK_QUEUE: stack.clocker.taskQueue,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 400_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, out: stdout + stderr });
    });
  });
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Whether a TCP connection to host:port is accepted (false when refused or unanswered). */
function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** This machine's first non-loopback IPv4 address: where a port published on all addresses also answers. */
function otherAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('this machine has no non-loopback IPv4 address');
}

async function postVote(port: number, choice: 'a' | 'b'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `vote=${choice}`,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, body: await res.text() };
}

/** The tally on the result page, or undefined while it does not answer with one. */
async function tally(port: number): Promise<{ cats: number; dogs: number } | undefined> {
  const page = await httpGet(`http://127.0.0.1:${port}/`);
  const cats = /Cats: (\d+)/.exec(page.body)?.[1];
  const dogs = /Dogs: (\d+)/.exec(page.body)?.[1];
  return page.ok && cats !== undefined && dogs !== undefined ? { cats: Number(cats), dogs: Number(dogs) } : undefined;
}

async function waitForTally(port: number, want: { cats: number; dogs: number }): Promise<void> {
  let last: { cats: number; dogs: number } | undefined;
  await waitUntil(`the result page to show ${JSON.stringify(want)}`, 60_000, async () => {
    last = await tally(port);
    return last?.cats === want.cats && last.dogs === want.dogs;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; it last showed ${JSON.stringify(last)}`);
  });
}

async function serviceContainer(docker: Docker, service: string): Promise<Docker.ContainerInspectInfo> {
  const found = (await appContainers(docker, APP)).filter((c) => c.Labels[LABEL.service] === service);
  assert.equal(found.length, 1, `one ${service} container, found ${found.length}`);
  return docker.getContainer(found[0]!.Id).inspect();
}

async function appLeftovers(docker: Docker): Promise<string[]> {
  const filters = { label: [`${LABEL.app}=${APP}`] };
  return [
    ...(await appContainers(docker, APP)).map((c) => `container ${c.Names.join(',')}`),
    ...(await docker.listNetworks({ filters })).map((n) => `network ${n.Name}`),
    ...((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

describe('the voting app from its Compose file', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;
  let work: string | undefined;
  let file: string; // what `clocker deploy` is given
  let folder: string; // the file's folder: relative paths in the file resolve here
  let ports: Ports;
  let deployed = false; // later tests need the first deploy: without it they fail saying so

  before(async () => {
    assert.deepEqual(await appLeftovers(docker), [], 'an earlier run left parts of the voting app');
    // The committed example publishes Compose's ports. When another process on this machine
    // holds one of them, the test deploys a copy (in a folder also named voting-app, so the
    // application name stays) whose host ports are rewritten to free ones; nothing else changes.
    const free = (await portFree(COMPOSE_PORTS.vote, '0.0.0.0')) && (await portFree(COMPOSE_PORTS.result, '0.0.0.0')) && (await portFree(COMPOSE_PORTS.inspector, '127.0.0.1'));
    if (free) {
      ports = COMPOSE_PORTS;
      folder = EXAMPLE;
      file = 'examples/voting-app/docker-compose.yml';
    } else {
      ports = { vote: await freePort(), result: await freePort(), inspector: await freePort() };
      work = mkdtempSync(join(tmpdir(), 'clocker-voting-'));
      folder = join(work, APP);
      cpSync(EXAMPLE, folder, { recursive: true });
      file = join(folder, 'docker-compose.yml');
      let text = readFileSync(file, 'utf8');
      for (const [from, to] of [
        ['"8080:80"', `"${ports.vote}:80"`],
        ['"8081:80"', `"${ports.result}:80"`],
        ['"127.0.0.1:9229:9229"', `"127.0.0.1:${ports.inspector}:9229"`],
      ] as const) {
        assert.ok(text.includes(from), `the example publishes ${from}`);
        text = text.replace(from, to);
      }
      writeFileSync(file, text);
    }
    stack = await startLocalStack(docker);
  });

  after(async () => {
    // A failed run still tears down: through Clocker first, then whatever is left by label.
    const live = stack ? (await stack.clocker.listApplications()).some((a) => a.name === APP) : false;
    if (live) await stack.clocker.destroy(APP, 120_000).catch((err: unknown) => console.error(`cleanup: destroy failed: ${String(err)}`));
    await removeAppLeftovers(docker, APP);
    const filters = { label: [`${LABEL.app}=${APP}`] };
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove();
    await stack?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('`clocker deploy` builds and starts it from the file; vote and result answer on their Compose ports', async (t) => {
    t.diagnostic(`deploying ${file} (host ports ${JSON.stringify(ports)})`);
    const started = Date.now();
    const deploy = await clocker(stack, ['deploy', file, '--timeout', '300']);
    t.diagnostic(`first deploy: ${Date.now() - started} ms`);
    assert.equal(deploy.code, 0, deploy.out);
    assert.match(deploy.out, new RegExp(`"${APP}" is RUNNING after`));
    deployed = true;
    // The summary names where each published port answers: the inspector at 127.0.0.1 only.
    assert.match(deploy.stdout, new RegExp(`^  vote: \\S+:${ports.vote}$`, 'm'));
    assert.match(deploy.stdout, new RegExp(`^  result: \\S+:${ports.result}$`, 'm'));
    assert.match(deploy.stdout, new RegExp(`^  result: 127\\.0\\.0\\.1:${ports.inspector}$`, 'm'));

    const view = await stack.clocker.status(APP);
    assert.deepEqual(view.services.map((s) => s.id).sort(), ['db', 'redis', 'result', 'vote', 'worker'], 'seed is in a profile that was not asked for');
    assert.ok(view.services.every((s) => s.status === 'RUNNING' && s.members.length === 1), JSON.stringify(view.services.map((s) => [s.id, s.status])));
    assert.equal((await appContainers(docker, APP)).some((c) => c.Labels[LABEL.service] === 'seed'), false);
    // Each container names the infrastructure it is booked in (a Compose file deploys to "local"): a host's sweep takes only its own.
    assert.deepEqual([...new Set((await appContainers(docker, APP)).map((c) => c.Labels[LABEL.infrastructure]))], [view.location]);

    // "8080:80" and "8081:80" publish on every address of the engine's machine.
    for (const address of ['127.0.0.1', otherAddress()]) {
      const page = await httpGet(`http://${address}:${ports.vote}/`);
      assert.equal(page.ok, true, page.body);
      assert.match(page.body, /<h1>Cats vs Dogs!<\/h1>/);
      assert.match(page.body, /<button name="vote" value="a">Cats<\/button>/);
      const result = await httpGet(`http://${address}:${ports.result}/`);
      assert.equal(result.ok, true, result.body);
      assert.match(result.body, /Cats: 0[\s\S]*Dogs: 0/, 'a fresh db-data volume has no votes');
    }
  });

  test('the services sit on the Compose networks, with the named volume and the bind-mounted healthchecks', async () => {
    assert.ok(deployed, 'the first deploy did not complete (see the first test)');
    const networksOf = async (service: string) => Object.keys((await serviceContainer(docker, service)).NetworkSettings.Networks).sort();
    assert.deepEqual(await networksOf('vote'), [`${APP}.back-tier`, `${APP}.front-tier`]);
    assert.deepEqual(await networksOf('result'), [`${APP}.back-tier`, `${APP}.front-tier`]);
    for (const service of ['worker', 'redis', 'db']) assert.deepEqual(await networksOf(service), [`${APP}.back-tier`], service);

    // depends_on conditions: each container started after those it depends on (which were
    // healthy by then, or the deploy would not have gone on).
    const startedAt = async (service: string) => Date.parse((await serviceContainer(docker, service)).State.StartedAt);
    for (const [service, deps] of [['vote', ['redis']], ['result', ['db']], ['worker', ['redis', 'db']]] as const) {
      for (const dep of deps) assert.ok((await startedAt(service)) > (await startedAt(dep)), `${service} started after ${dep}`);
    }

    const db = await serviceContainer(docker, 'db');
    const data = db.Mounts.find((m) => m.Destination === '/var/lib/postgresql/data');
    assert.equal(data?.Type, 'volume', JSON.stringify(db.Mounts));
    assert.equal(data?.Name, `${APP}.db-data`);
    for (const service of ['redis', 'db']) {
      const mounts = (await serviceContainer(docker, service)).Mounts;
      const checks = mounts.find((m) => m.Destination === '/healthchecks');
      assert.equal(checks?.Type, 'bind', JSON.stringify(mounts));
      assert.equal(checks?.Source, join(folder, 'healthchecks'), 'resolved against the Compose file, as Compose does');
    }
  });

  test('a vote goes vote → redis → worker → db → result, each reached by service name', async (t) => {
    assert.ok(deployed, 'the first deploy did not complete (see the first test)');
    const started = Date.now();
    const first = await postVote(ports.vote, 'a');
    assert.equal(first.status, 200, first.body);
    assert.match(first.body, /your vote for a is counted/);
    const byQuery = await httpGet(`http://127.0.0.1:${ports.vote}/?vote=a`);
    assert.match(byQuery.body, /your vote for a is counted/);
    const dog = await postVote(ports.vote, 'b');
    assert.match(dog.body, /your vote for b is counted/);
    await waitForTally(ports.result, { cats: 2, dogs: 1 });
    t.diagnostic(`three votes reached the result page in ${Date.now() - started} ms`);
  });

  test('the inspector port answers on 127.0.0.1 and is published nowhere else', async () => {
    assert.ok(deployed, 'the first deploy did not complete (see the first test)');
    const inspector = await httpGet(`http://127.0.0.1:${ports.inspector}/json/version`);
    assert.equal(inspector.ok, true, inspector.body);
    assert.match(inspector.body, /"Protocol-Version"/);
    assert.equal(await tcpAccepts(otherAddress(), ports.inspector), false, `${otherAddress()}:${ports.inspector} must refuse`);
    assert.equal(await tcpAccepts(otherAddress(), ports.result), true, 'while the result page answers there (the check can succeed)');

    const result = await serviceContainer(docker, 'result');
    assert.deepEqual(result.HostConfig.PortBindings?.['9229/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(ports.inspector) }]);
    const bound = result.NetworkSettings.Ports['9229/tcp'] ?? [];
    assert.ok(bound.length > 0 && bound.every((b) => b.HostIp === '127.0.0.1'), JSON.stringify(bound));
  });

  test('with `--profile seed` the plan adds only seed, and its votes arrive', async (t) => {
    assert.ok(deployed, 'the first deploy did not complete (see the first test)');
    const plan = await clocker(stack, ['plan', '--profile', 'seed', file]);
    assert.equal(plan.code, 0, plan.out);
    // The plan's own lines (other lines, such as a preflight verdict, may follow).
    const planLines = (out: string) => out.split('\n').filter((l) => l.startsWith(`${APP}: `) || /^[+~-] /.test(l));
    assert.deepEqual(planLines(plan.stdout), [`${APP}: 1 change`, '+ seed: add (1 member)']);
    const unchanged = await clocker(stack, ['plan', file]);
    assert.deepEqual(planLines(unchanged.stdout), [`${APP}: no changes`], 'without the profile nothing changes');
    assert.match(unchanged.out, /"seed" is not deployed/, "the skipped profile service is named");

    const started = Date.now();
    const deploy = await clocker(stack, ['deploy', '--profile', 'seed', file, '--timeout', '300']);
    assert.equal(deploy.code, 0, deploy.out);
    const seed = await serviceContainer(docker, 'seed');
    assert.deepEqual(Object.keys(seed.NetworkSettings.Networks), [`${APP}.front-tier`]);
    // seed-data/seed.sh posts 6 votes for a and 3 for b through the vote page.
    await waitForTally(ports.result, { cats: 2 + 6, dogs: 1 + 3 });
    t.diagnostic(`seed deployed and its votes counted in ${Date.now() - started} ms`);
  });

  test('`clocker destroy` leaves no container, network or volume of the app', async (t) => {
    const started = Date.now();
    const destroy = await clocker(stack, ['destroy', APP]);
    t.diagnostic(`destroy: ${Date.now() - started} ms`);
    assert.equal(destroy.code, 0, destroy.out);
    assert.match(destroy.out, new RegExp(`application ${APP}: DESTROYED`));
    assert.deepEqual(await appLeftovers(docker), []);
    assert.equal((await httpGet(`http://127.0.0.1:${ports.vote}/`)).ok, false, 'nothing answers on the vote port');
  });
});
