// Repair without destroy, as a user meets it with the CLI on the local engine: a deployment
// that failed (a host port taken, a secret missing) runs once the cause is fixed and the same
// file is deployed again; `stop` and `start` say the state they reached, in words and exit code.
// e2e-group: beside (its own applications on free ports; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
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
import { findTemporalBinary } from '../../client/temporal/temporalBinary';
import { run } from '../support/exec';

const APPS = ['repair-port', 'repair-conf', 'repair-secret', 'repair-scale'];

/** A one-service blueprint: busybox httpd on `port`, its page made from `page` (shell, at start). */
function blueprintText(name: string, port: number, page: string, env: Record<string, string> = {}): string {
  return [
    `name: ${name}`,
    'services:',
    '  - id: web',
    '    image: clocker/busybox:1',
    `    command: ["sh", "-c", ${JSON.stringify(`mkdir -p /www && ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`)}]`,
    ...(Object.keys(env).length > 0 ? ['    env:', ...Object.entries(env).map(([k, v]) => `      ${k}: ${v}`)] : []),
    '    ports:',
    `      - "${port}:8080"`,
    '    health: { type: http, port: 8080, path: / }',
    '',
  ].join('\n');
}

describe('repair in place with the CLI', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-repair-'));
  const secrets = join(dir, 'secrets');
  let stack: Stack;
  let held: Server | undefined;

  const cli = (...args: string[]) => runCli(stack, ...args);

  before(async () => {
    process.env.CLOCKER_SECRETS_DIR = secrets; // the worker inherits it; the secret is written later
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppLeftovers(docker, ...APPS);
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a host port that is taken: the deploy is refused naming it and creates nothing; once it is free the same file runs', async () => {
    const port = await freePort();
    held = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => held!.listen(port, '0.0.0.0', resolve));
    const file = join(dir, 'port.yaml');
    writeFileSync(file, blueprintText('repair-port', port, 'echo repaired-by-deploy'));

    const first = await cli('deploy', file, '--timeout', '120');
    assert.notEqual(first.code, 0, first.out);
    assert.match(first.out, new RegExp(`port\\.yaml:\\d+:\\d+.*${port}`), `the refusal names the port at its place in the file:\n${first.out}`);
    await assert.rejects(stack.clocker.status('repair-port'), /no application "repair-port"/, 'no workflow was started');
    assert.deepEqual(await appContainers(docker, 'repair-port'), [], 'no container was created');

    await new Promise((r) => held!.close(r));
    held = undefined;
    const again = await cli('deploy', file, '--timeout', '120');
    assert.equal(again.code, 0, again.out);
    await waitUntil('the page on the freed port', 30_000, async () => (await httpGet(`http://127.0.0.1:${port}/`)).body.includes('repaired-by-deploy'));
    assert.equal((await stack.clocker.status('repair-port')).status, 'RUNNING');
  });

  test('a FAILED application (its config file missing on the host) runs when the same file is deployed again once the file is there: no destroy', async () => {
    const port = await freePort();
    const conf = join(dir, 'conf');
    mkdirSync(conf, { recursive: true });
    const file = join(dir, 'conf.yaml');
    writeFileSync(
      file,
      blueprintText('repair-conf', port, 'cat /conf/page.txt').replace('    ports:', `    volumes: ["${conf}:/conf:ro"]\n    ports:`),
    );
    const first = await cli('deploy', file, '--timeout', '120');
    assert.notEqual(first.code, 0, first.out);
    assert.equal((await stack.clocker.status('repair-conf')).status, 'FAILED');

    writeFileSync(join(conf, 'page.txt'), 'configured-at-last');
    const again = await cli('deploy', file, '--timeout', '120');
    assert.equal(again.code, 0, again.out);
    // The failed service keeps trying by itself (1 s, 5 s, 10 s… apart): a try that lands between
    // the file appearing and this deploy's plan mends it first, and the plan then has nothing to
    // repair. Either way it is the same application, mended in place; which one is printed.
    const repairedByPlan = /no changes\n\s+repair web: /.test(again.out);
    const mendedFirst = /no changes\n/.test(again.out) && /last event: web: restored to 1 member/.test(again.out);
    console.log(`repair-conf: ${repairedByPlan ? 'the plan repaired web' : mendedFirst ? 'web mended itself before the plan' : 'neither'}`);
    assert.ok(repairedByPlan || mendedFirst, `the plan says what it repairs, or that the service had mended itself:\n${again.out}`);
    await waitUntil('the page', 30_000, async () => (await httpGet(`http://127.0.0.1:${port}/`)).body.includes('configured-at-last'));
    const view = await stack.clocker.status('repair-conf');
    assert.equal(view.status, 'RUNNING');
    assert.equal(view.version, 2, 'the same application, repaired in place');
    assert.equal((await cli('destroy', 'repair-conf')).code, 0);
  });

  test('`stop` and `start` of a service report the state reached: STOPPED, then RUNNING, with the page back', async () => {
    const stopped = await cli('stop', 'repair-port', 'web');
    assert.equal(stopped.code, 0, stopped.out);
    assert.match(stopped.out, /application repair-port on local: STOPPED/);
    const started = await cli('start', 'repair-port', 'web');
    assert.equal(started.code, 0, started.out);
    assert.match(started.out, /application repair-port on local: RUNNING/);
    const port = (await stack.clocker.status('repair-port')).services[0]?.members[0]?.ports[0]?.boundHostPort;
    assert.ok((await httpGet(`http://127.0.0.1:${port}/`)).body.includes('repaired-by-deploy'));
    assert.equal((await cli('destroy', 'repair-port')).code, 0);
  });

  test('`clocker resize`, `clocker scale` and the plain `temporal` signal change the member count, and every member answers', async () => {
    const file = join(dir, 'scale.yaml');
    writeFileSync(
      file,
      blueprintText('repair-scale', 0, 'echo "member $(hostname)"')
        .replace('      - "0:8080"', '      - containerPort: 8080\n        hostPort: 0')
        .replace('    health:', '    cluster: { initialSize: 1, minSize: 1, maxSize: 4 }\n    health:'),
    );
    assert.equal((await cli('deploy', file, '--timeout', '120')).code, 0);
    const members = async () => (await stack.clocker.status('repair-scale')).services[0]!.members.filter((m) => m.state === 'RUNNING');

    const resized = await cli('resize', 'repair-scale', 'web', '3');
    assert.equal(resized.code, 0, resized.out);
    assert.match(resized.out, /repair-scale\/web: 1 → 3 members/);
    const three = await members();
    assert.equal(three.length, 3);
    const pages = await Promise.all(three.map((m) => httpGet(`http://127.0.0.1:${m.ports[0]?.boundHostPort}/`)));
    assert.equal(new Set(pages.map((p) => p.body.trim())).size, 3, `three members, three pages: ${JSON.stringify(pages)}`);

    const refused = await cli('resize', 'repair-scale', 'web', '9');
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /9 is outside the service's bounds 1\.\.4/);

    const temporal = findTemporalBinary();
    assert.ok(temporal, 'the Temporal CLI');
    const workflowId = 'clocker/app/repair-scale/svc/web';
    await run([temporal, 'workflow', 'signal', '--address', stack.server.address, '--workflow-id', workflowId, '--name', 'resize', '--input', '{"size": 2}']);
    await waitUntil('two members after the plain signal', 60_000, async () => (await members()).length === 2 && (await stack.clocker.status('repair-scale')).services[0]!.members.length === 2);
    const query = JSON.parse(await run([temporal, 'workflow', 'query', '--address', stack.server.address, '--workflow-id', workflowId, '--type', 'status', '--output', 'json']));
    assert.equal(JSON.stringify(query).match(/"state":"RUNNING"/g)?.length, 2, JSON.stringify(query));

    const scaled = await cli('scale', 'repair-scale', 'web', '-1');
    assert.equal(scaled.code, 0, scaled.out);
    assert.equal((await members()).length, 1);
    assert.equal((await cli('destroy', 'repair-scale')).code, 0);
  });

  test('a missing secret: once it is written, the same file deployed again runs with it', async () => {
    const port = await freePort();
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, blueprintText('repair-secret', port, 'echo "token has ${#TOKEN} characters"', { TOKEN: '$secret:REPAIR_TOKEN' }));
    const first = await cli('deploy', file, '--timeout', '120');
    assert.notEqual(first.code, 0, first.out);
    assert.match(first.out, /REPAIR_TOKEN/);

    rmSync(secrets, { recursive: true, force: true });
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'REPAIR_TOKEN'), 'sixteen-chars-ok');
    const again = await cli('deploy', file, '--timeout', '120');
    assert.equal(again.code, 0, again.out);
    await waitUntil('the page', 30_000, async () => (await httpGet(`http://127.0.0.1:${port}/`)).body.includes('token has 16 characters'));
    assert.equal((await cli('destroy', 'repair-secret')).code, 0);
    assert.deepEqual(await appContainers(docker, 'repair-secret'), []);
  });
});
