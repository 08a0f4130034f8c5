// The host policy on the local engine, with the CLI: the root-escape blueprint (bind /, bind
// the Docker socket, privileged) is refused by `plan` and `deploy` under `local`'s default
// policy, each key at its place in the file with the setting that would allow it, and nothing
// is created; on an infrastructure whose file allows exactly these, it deploys and does what
// it says: the container reads a file of the host through /host and holds the engine's socket.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { runCli } from '../support/cli';
import { startLocalStack, type Stack } from '../support/stack';
import { readBlueprintFile } from '../../client/blueprintFile';
import { deployUpdate } from '../../workflows/messages';
import { workflowIds } from '../../domain/naming';

const APPS = ['policy-refused', 'policy-escape', 'policy-privileged', 'policy-bypass', 'policy-data', 'policy-direct'];

/** busybox httpd serving what the container sees of the host: the marker file and the socket. */
function escapeBlueprint(name: string, location: string, port: number, marker: string, asks: string[] = ['    privileged: true']): string {
  const page = `cat /host${marker} && test -S /var/run/docker.sock && echo socket-present`;
  return [
    `name: ${name}`,
    `location: ${location}`,
    'services:',
    '  - id: root',
    '    image: clocker/busybox:1',
    ...asks,
    `    command: ["sh", "-c", ${JSON.stringify(`mkdir -p /www && (${page}) > /www/index.html; exec httpd -f -p 8080 -h /www`)}]`,
    '    volumes:',
    '      - /:/host',
    '      - /var/run/docker.sock:/var/run/docker.sock',
    '    ports:',
    `      - "${port}:8080"`,
    '    health: { type: http, port: 8080, path: / }',
    '',
  ].join('\n');
}

describe('host policy on the local engine', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-policy-'));
  const marker = join(dir, 'marker.txt');
  const secret = `host-file-${randomBytes(6).toString('hex')}`;
  let stack: Stack;

  const cli = (...args: string[]) => runCli(stack, ...args);

  before(async () => {
    writeFileSync(marker, secret);
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, ...APPS);
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the root-escape blueprint is refused under local's default policy: plan and deploy name each key at its place, nothing is created", async () => {
    const file = join(dir, 'refused.yaml');
    writeFileSync(file, escapeBlueprint('policy-refused', 'local', await freePort(), marker));
    const plan = await cli('plan', file);
    assert.notEqual(plan.code, 0, plan.out);
    assert.match(plan.out, /refused\.yaml:9:\d+.*whole file system.*policy\.binds: \[\{ path: \/, readOnly: false \}\]/, plan.out);
    assert.match(plan.out, /refused\.yaml:10:\d+.*Docker engine.*path: \/var\/run\/docker\.sock/, plan.out);
    assert.match(plan.out, /refused\.yaml:6:\d+.*policy\.privileged: true/, plan.out);

    const deploy = await cli('deploy', file, '--timeout', '60');
    assert.notEqual(deploy.code, 0, deploy.out);
    assert.match(deploy.out, /policy\.privileged: true/, deploy.out);
    await assert.rejects(stack.clocker.status('policy-refused'), /no application "policy-refused"/, 'no workflow was started');
    assert.deepEqual(await appContainers(docker, 'policy-refused'), [], 'no container was created');
  });

  test('on an infrastructure whose policy names / and the socket and allows what it asks, it runs and sees the host', async () => {
    const infraFile = join(dir, 'open.yaml');
    writeFileSync(infraFile, ['name: policy-open', 'location: local', 'policy:', '  binds: [/, /var/run/docker.sock]', '  privileged: true', '  capAdd: [NET_ADMIN]', '  hostPid: true', ''].join('\n'));
    const created = await cli('infra', 'create', infraFile);
    assert.equal(created.code, 0, created.out);
    const status = await cli('infra', 'status', 'policy-open');
    assert.match(status.out, /host policy: binds: \/var\/lib\/clocker\/apps\/<app>, the blueprint file's folder, \/, \/var\/run\/docker\.sock; privileged: allowed/, status.out);

    const port = await freePort();
    const file = join(dir, 'escape.yaml');
    // This machine's engine refuses privileged containers itself (runc cannot apply every
    // capability here): the last test shows privileged is passed on; this one the rest.
    writeFileSync(file, escapeBlueprint('policy-escape', 'policy-open', port, marker, ['    capAdd: [NET_ADMIN]', '    pid: host']));
    const plan = await cli('plan', file);
    assert.equal(plan.code, 0, plan.out);
    const deploy = await cli('deploy', file, '--timeout', '120');
    assert.equal(deploy.code, 0, deploy.out);
    await waitUntil('the page made from the host', 30_000, async () => (await httpGet(`http://127.0.0.1:${port}/`)).body.includes(secret));
    assert.match((await httpGet(`http://127.0.0.1:${port}/`)).body, new RegExp(`${secret}\\s*socket-present`));
    const [container] = await appContainers(docker, 'policy-escape');
    assert.ok(container, 'the member runs');
    const inspect = await docker.getContainer(container.Id).inspect();
    assert.deepEqual(inspect.HostConfig.CapAdd, ['NET_ADMIN']);
    assert.equal(inspect.HostConfig.PidMode, 'host');
    assert.deepEqual(inspect.Mounts.map((m) => [m.Source, m.Destination]).sort(), [['/', '/host'], ['/var/run/docker.sock', '/var/run/docker.sock']]);
    assert.equal((await cli('destroy', 'policy-escape')).code, 0);
  });

  test('privileged, once allowed, reaches Docker as asked: it runs privileged, or this engine refuses it in its own words', async () => {
    const file = join(dir, 'privileged.yaml');
    writeFileSync(file, escapeBlueprint('policy-privileged', 'policy-open', await freePort(), marker));
    const deploy = await cli('deploy', file, '--timeout', '120');
    if (deploy.code === 0) {
      const [container] = await appContainers(docker, 'policy-privileged');
      assert.ok(container, 'the member runs');
      assert.equal((await docker.getContainer(container.Id).inspect()).HostConfig.Privileged, true);
    } else {
      assert.match(deploy.out, /start container policy-privileged\.root\.1 failed.*unable to apply caps: operation not permitted/, deploy.out);
    }
    assert.doesNotMatch(deploy.out, /host policy/, 'the policy let it through');
    assert.equal((await cli('destroy', 'policy-privileged')).code, 0);
  });

  test('a client that skips the preflight (a new version sent straight to the workflow) meets the container activity\'s own check: nothing is created', async () => {
    const port = await freePort();
    const file = join(dir, 'bypass.yaml');
    const plain = escapeBlueprint('policy-bypass', 'local', port, marker, []).replace(/    volumes:\n(      - .*\n)+/, '');
    writeFileSync(file, plain);
    const first = await cli('deploy', file, '--timeout', '120');
    assert.equal(first.code, 0, first.out);
    const [before] = await appContainers(docker, 'policy-bypass');
    assert.ok(before);

    // Version 2 binds / — what `deploy` would refuse at the preflight — sent as the raw update.
    writeFileSync(file, plain.replace('    ports:', '    volumes: ["/:/host"]\n    ports:'));
    const next = readBlueprintFile(file);
    await stack.clocker.temporal.workflow.getHandle(workflowIds.application('policy-bypass')).executeUpdate(deployUpdate, { args: [next] });
    const view = await stack.clocker.waitFor('policy-bypass', (v) => v.services.some((s) => /HostPolicyRefusedError|refused by the host policy/.test(JSON.stringify(s))), 90_000);
    assert.match(JSON.stringify(view), /refused by the host policy: service root: binding \/ gives the container the host's whole file system/);
    const containers = await appContainers(docker, 'policy-bypass');
    for (const c of containers) {
      const mounts = (await docker.getContainer(c.Id).inspect()).Mounts;
      assert.ok(!mounts.some((m) => m.Source === '/'), 'no container binds /');
    }
    assert.equal((await cli('destroy', 'policy-bypass')).code, 0);
  });

  test("the application's own data folder may be bound under the default policy: Docker makes it on the host, and what the container writes is there", async () => {
    const folder = '/var/lib/clocker/apps/policy-data';
    rmSync(folder, { recursive: true, force: true });
    const port = await freePort();
    const file = join(dir, 'data.yaml');
    const text = escapeBlueprint('policy-data', 'local', port, marker, []).replace(/    volumes:\n(      - .*\n)+/, `    volumes: ["${folder}/state:/state"]\n`);
    writeFileSync(file, text.replace(/command: .*\n/, `command: ["sh", "-c", "echo ${secret}-kept > /state/written && mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]\n`));
    try {
      const deploy = await cli('deploy', file, '--timeout', '120');
      assert.equal(deploy.code, 0, deploy.out);
      await waitUntil('the file on the host', 30_000, async () => existsSync(`${folder}/state/written`));
      assert.equal(readFileSync(`${folder}/state/written`, 'utf8').trim(), `${secret}-kept`);
      assert.equal((await cli('destroy', 'policy-data')).code, 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('an application workflow started straight away (no CLI) with the root-escape blueprint is refused at its admission: nothing is created', async () => {
    const file = join(dir, 'direct.yaml');
    writeFileSync(file, escapeBlueprint('policy-direct', 'local', await freePort(), marker));
    const blueprint = readBlueprintFile(file);
    await stack.clocker.temporal.workflow.start('application', { taskQueue: stack.clocker.taskQueue, workflowId: workflowIds.application('policy-direct'), args: [{ blueprint }] });
    const view = await stack.clocker.waitFor('policy-direct', (v) => v.error !== undefined, 60_000);
    assert.match(view.error ?? '', /refused before anything was created: .*services\[0\]\.privileged: .*policy\.privileged: true/);
    assert.match(view.error ?? '', /services\[0\]\.volumes\[0\]: binding \/ gives the container the host's whole file system/);
    assert.deepEqual(await appContainers(docker, 'policy-direct'), [], 'no container was created');
    await cli('destroy', 'policy-direct');
  });

  test('a running infrastructure takes a new policy from its infra file (`clocker infra policy`): what was refused then passes the preflight', async () => {
    const infraFile = join(dir, 'late.yaml');
    writeFileSync(infraFile, ['name: policy-late', 'location: local', ''].join('\n'));
    assert.equal((await cli('infra', 'create', infraFile)).code, 0);
    const file = join(dir, 'late-app.yaml');
    writeFileSync(file, escapeBlueprint('policy-late-app', 'policy-late', await freePort(), marker));
    const before = await cli('plan', file);
    assert.notEqual(before.code, 0, before.out);
    assert.match(before.out, /policy\.privileged: true in infrastructure "policy-late"'s file/);

    writeFileSync(infraFile, ['name: policy-late', 'location: local', 'policy:', '  binds: [/, /var/run/docker.sock]', '  privileged: true', ''].join('\n'));
    const set = await cli('infra', 'policy', infraFile);
    assert.equal(set.code, 0, set.out);
    assert.match(set.out, /infrastructure policy-late: host policy set\n  binds: .*, \/, \/var\/run\/docker\.sock\n  privileged: allowed/);
    const after = await cli('plan', file);
    assert.equal(after.code, 0, after.out);
    assert.match((await cli('infra', 'status', 'policy-late')).out, /host policy: .*privileged: allowed/);
  });
});
