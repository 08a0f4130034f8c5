// An upgrade while applications run: the previous release (its source from
// test/releases/, its own worker process and CLI) registers the `local` infrastructure and deploys an
// application; its worker stops; this tree's worker takes over the same task queue and
// drives them on: resize, a rolling update to a new image tag, destroy. No workflow task
// fails on the way (a nondeterminism error would show as one), and nothing is left.
// e2e-group: beside (uniquely named applications on free ports; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { stopChild } from '../../client/childProcess';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { startStack, type Stack } from '../support/stack';

/** The previous release: the commit whose histories are in test/histories/0.1.0-c108669. */
const PREVIOUS_RELEASE = 'c108669';
const ROOT = join(__dirname, '..', '..');
const APP = `upgrade${process.pid}`;
/** A second application that names no network (the plain case): updated onto the default network, resized and destroyed after the upgrade. */
const PLAIN = `upgradeplain${process.pid}`;
const NEW_TAG = 'clocker/busybox:upgrade-e2e';
const run = promisify(execFile);

/**
 * The application names its network (the same in both releases); the plain one names none, so
 * after the upgrade its next version gains the default network (workflows: app-networks-grow).
 */
function blueprintText(image: string, message: string, name = APP, network = true): string {
  return [
    `name: ${name}`,
    'location: local',
    // A subnet of its own: the previous release's pool does not skip other tests' networks.
    ...(network ? ['networks:', '  - id: front', `    cidr: 10.247.${process.pid % 250}.0/24`] : []),
    'services:',
    '  - id: web',
    ...(network ? ['    networks: [front]'] : []),
    `    image: ${image}`,
    `    command: ["sh", "-c", "mkdir -p /www && echo \\"$MESSAGE $(hostname)\\" > /www/index.html && exec httpd -f -p 8080 -h /www"]`,
    '    env:',
    `      MESSAGE: ${message}`,
    '    ports:',
    '      - containerPort: 8080',
    '        hostPort: 0',
    '    cluster: { initialSize: 2, minSize: 1, maxSize: 4 }',
    '    health: { type: http, port: 8080, path: / }',
    '',
  ].join('\n');
}

/** The previous release's source, kept in the repository (a shallow clone lacks the commit): `git archive c108669 | gzip`. */
const RELEASE_ARCHIVE = join(ROOT, 'test', 'releases', `0.1.0-${PREVIOUS_RELEASE}.tar.gz`);

function previousReleaseAvailable(): string | false {
  const found = skipUnlessPresent('temporal', 'docker');
  if (found) return found;
  if (existsSync(RELEASE_ARCHIVE)) return false;
  const why = `the previous release's source ${RELEASE_ARCHIVE} is missing`;
  if (process.env.CI === 'true') throw new Error(`required component missing under CI: ${why}`);
  return `skipped: ${why}`;
}

describe('upgrade from the previous release while an application runs', { skip: previousReleaseAvailable() }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-upgrade-'));
  const old = join(dir, 'previous');
  let stack: Stack;
  let oldWorker: ChildProcess | undefined;
  const env = () => ({ ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue, CLOCKER_HOME: join(dir, 'home') });
  /** The CLI of a tree (the previous release's or this one), as a user runs it. */
  const cli = async (tree: string, ...args: string[]) =>
    (await run(process.execPath, [join(tree, 'bin', 'clocker.js'), ...args], { cwd: tree, env: env(), timeout: 240_000 })).stdout;

  before(async () => {
    mkdirSync(old, { recursive: true });
    execFileSync('tar', ['-xzf', RELEASE_ARCHIVE, '-C', old]);
    symlinkSync(join(ROOT, 'node_modules'), join(old, 'node_modules'));
    const image = await docker.getImage('clocker/busybox:1').inspect();
    await docker.getImage(image.Id).tag({ repo: 'clocker/busybox', tag: 'upgrade-e2e' });
    stack = await startStack();
  });

  after(async () => {
    if (oldWorker) await stopChild(oldWorker);
    await removeAppLeftovers(docker, APP, PLAIN);
    await stack?.stop();
    await docker.getImage(NEW_TAG).remove().catch(() => undefined); // the tag only; the image stays as clocker/busybox:1
    rmSync(dir, { recursive: true, force: true });
  });

  test('started on the previous release, resized, rolled to a new image and destroyed on this one', async () => {
    // 1. The previous release: its worker, its client registering `local`, its CLI deploying.
    const oldLog = join(dir, 'previous-worker.log');
    const log = openSync(oldLog, 'a');
    oldWorker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: old, env: env(), stdio: ['ignore', log, log] });
    closeSync(log);
    await waitUntil('the previous release’s worker', 60_000, async () => readFileSync(oldLog, 'utf8').includes('clocker worker:'), oldLog);
    const register = [
      "const { ClockerClient } = require('./client/clockerClient');",
      "const { localInfrastructure } = require('./client/commands/up');",
      "const { temporalConfig } = require('./client/temporal/config');",
      "const { connectClient } = require('./client/temporal/connect');",
      '(async () => { const c = temporalConfig(process.env); const client = await connectClient(c);',
      '  console.log(await new ClockerClient(client, c.taskQueue).ensureInfrastructure(await localInfrastructure()));',
      '  await client.connection.close(); })().catch((e) => { console.error(e); process.exit(1); });',
    ].join('\n');
    const registered = await run(process.execPath, ['--import', 'tsx', '-e', register], { cwd: old, env: env(), timeout: 60_000 });
    assert.match(registered.stdout, /started|existing/);
    const file = join(dir, 'app.yaml');
    writeFileSync(file, blueprintText('clocker/busybox:1', 'v1'));
    await cli(old, 'deploy', file, '--timeout', '120');
    const v1 = await stack.clocker.waitFor(APP, (v) => v.status === 'RUNNING', 120_000);
    assert.equal(v1.services[0]?.members.length, 2);
    const plainFile = join(dir, 'plain.yaml');
    writeFileSync(plainFile, blueprintText('clocker/busybox:1', 'plain', PLAIN, false));
    await cli(old, 'deploy', plainFile, '--timeout', '120');
    assert.equal((await stack.clocker.waitFor(PLAIN, (v) => v.status === 'RUNNING', 120_000)).services[0]?.members.length, 2);

    // 2. The upgrade: the previous worker stops, this tree's worker takes the task queue.
    await stopChild(oldWorker);
    oldWorker = undefined;
    await stack.startWorker();

    // 3. Driven on by this release: resize to 3...
    const resized = await cli(ROOT, 'resize', APP, 'web', '3');
    assert.match(resized, new RegExp(`${APP}/web: 2 → 3 members`));
    const three = (await stack.clocker.status(APP)).services[0]!.members.filter((m) => m.state === 'RUNNING');
    assert.equal(three.length, 3);
    for (const m of three) assert.match((await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`)).body, /^v1 /);

    // ...a rolling update to a new image tag and message...
    writeFileSync(file, blueprintText(NEW_TAG, 'v2'));
    await cli(ROOT, 'deploy', file, '--timeout', '180');
    const v2 = await stack.clocker.waitFor(APP, (v) => v.status === 'RUNNING' && v.services[0]!.members.every((m) => m.state === 'RUNNING'), 180_000);
    const containers = await appContainers(docker, APP);
    // The new version's size is its blueprint's (initialSize 2), as for any rolling update.
    assert.equal(containers.length, v2.services[0]!.members.length, 'one container per member');
    assert.ok(containers.length >= 2, `the new version runs its members (${containers.length})`);
    assert.equal(v2.version, 2);
    assert.deepEqual([...new Set(containers.map((c) => c.Image))], [NEW_TAG]);
    for (const m of v2.services[0]!.members) assert.match((await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`)).body, /^v2 /);

    // ...and destroy: nothing is left.
    await cli(ROOT, 'destroy', APP);
    assert.equal((await appContainers(docker, APP)).length, 0);

    // The plain application started on the previous release, before default networks: a new
    // version (this release's loader gives it the default network) makes that network and rolls
    // its members onto it, where they answer by name.
    writeFileSync(plainFile, blueprintText(NEW_TAG, 'plain2', PLAIN, false));
    await cli(ROOT, 'deploy', plainFile, '--timeout', '180');
    const rolled = await stack.clocker.waitFor(PLAIN, (v) => v.version === 2 && v.status === 'RUNNING' && v.services[0]!.members.every((m) => m.state === 'RUNNING'), 180_000);
    for (const m of rolled.services[0]!.members) {
      assert.ok(m.networks?.default, `${m.containerName} is on the default network: ${JSON.stringify(m.networks)}`);
      assert.match((await httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`)).body, /^plain2 /);
    }
    // ...then resized down and destroyed.
    assert.match(await cli(ROOT, 'resize', PLAIN, 'web', '1'), new RegExp(`${PLAIN}/web: 2 → 1 member\\b`));
    assert.equal((await appContainers(docker, PLAIN)).length, 1);
    await cli(ROOT, 'destroy', PLAIN);
    assert.equal((await appContainers(docker, PLAIN)).length, 0);

    // The infrastructure started by the previous release still answers on this one.
    const infra = await cli(ROOT, 'infra', 'status', 'local', '--json');
    assert.match(infra, /"name":\s*"local"/);

    // No workflow task failed anywhere: the new code replayed the old histories cleanly.
    const failed: string[] = [];
    for await (const wf of stack.clocker.temporal.workflow.list()) {
      const history = await stack.clocker.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      for (const e of history.events ?? []) {
        if (e.workflowTaskFailedEventAttributes) failed.push(`${wf.workflowId}: ${e.workflowTaskFailedEventAttributes.failure?.message ?? ''}`);
      }
    }
    assert.deepEqual(failed, []);
    assert.ok(existsSync(join(old, 'workflows')), 'the previous release ran from its own tree');
  });
});
