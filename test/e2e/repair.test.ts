// Repair without destroy, as a user meets it with the CLI on the local engine: a deployment
// that failed (a host port taken, a secret missing) runs once the cause is fixed and the same
// file is deployed again; `stop` and `start` say the state they reached, in words and exit code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppContainers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { startLocalStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');
const APPS = ['repair-port', 'repair-secret'];

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

  const cli = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve) => {
      const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue };
      execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
      });
    });

  before(async () => {
    process.env.CLOCKER_SECRETS_DIR = secrets; // the worker inherits it; the secret is written later
    stack = await startLocalStack(docker);
  });

  after(async () => {
    await removeAppContainers(docker, ...APPS);
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a host port that was taken: the same file deployed again once it is free runs, and its page answers', async () => {
    const port = await freePort();
    held = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => held!.listen(port, '0.0.0.0', resolve));
    const file = join(dir, 'port.yaml');
    writeFileSync(file, blueprintText('repair-port', port, 'echo repaired-by-deploy'));

    const first = await cli('deploy', file, '--timeout', '120');
    assert.notEqual(first.code, 0, first.out);
    assert.match(first.out, new RegExp(`${port}`), 'the failure names the port');
    assert.equal((await stack.clocker.status('repair-port')).status, 'FAILED');
    assert.deepEqual(await appContainers(docker, 'repair-port'), [], 'nothing is left running half-way');

    await new Promise((r) => held!.close(r));
    held = undefined;
    const again = await cli('deploy', file, '--timeout', '120');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /repair/);
    await waitUntil('the page on the freed port', 30_000, async () => (await httpGet(`http://127.0.0.1:${port}/`)).body.includes('repaired-by-deploy'));
    assert.equal((await stack.clocker.status('repair-port')).status, 'RUNNING');
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
