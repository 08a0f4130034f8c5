// The quick start, as a person runs it: `clocker up --deploy examples/hello.yaml`, the page on
// its published port, the workflow in the Web UI, `status`, `destroy`, Ctrl-C, and a second
// `clocker up` that finds the same state.
// e2e-group: beside (its own `clocker up` on free ports; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { localHostAddress } from '../../client/localHostAddress';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppContainers } from '../support/dockerChecks';
import { freePort } from '../support/ports';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');

class UpProcess {
  output = '';
  readonly child: ChildProcess;
  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, 'up', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }
  waitFor(text: string, timeoutMs = 120_000): Promise<void> {
    return waitUntil(`\`clocker up\` to print "${text}" (so far:\n${this.output})`, timeoutMs, async () => {
      if (this.child.exitCode !== null) throw new Error(`clocker up exited ${this.child.exitCode}:\n${this.output}`);
      return this.output.includes(text);
    });
  }
  /** Ctrl-C, and the exit code. */
  interrupt(): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGINT');
    });
  }
}

function clocker(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('clocker CLI quick start', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const home = mkdtempSync(join(tmpdir(), 'clocker-cli-'));
  let env: NodeJS.ProcessEnv;
  let port: number;
  let uiPort: number;
  let up: UpProcess | undefined;

  before(async () => {
    port = await freePort();
    uiPort = await freePort();
    env = { ...process.env, CLOCKER_HOME: home, CLOCKER_TEMPORAL_ADDRESS: `127.0.0.1:${port}` };
    assert.equal((await appContainers(docker, 'hello')).length, 0, 'an earlier run left a hello container');
    await ensureBusyboxImage(docker);
  });

  after(async () => {
    if (up && up.child.exitCode === null) await up.interrupt();
    await removeAppContainers(docker, 'hello');
    rmSync(home, { recursive: true, force: true });
  });

  test('up --deploy serves the page; status, Web UI and destroy work; Ctrl-C stops; a second up resumes', async () => {
    up = new UpProcess(['--port', String(port), '--ui-port', String(uiPort), '--deploy', 'examples/hello.yaml'], env);
    await up.waitFor('clocker is up');
    assert.match(up.output, /"hello" is RUNNING after/);
    assert.match(up.output, new RegExp(`Web UI: http://127\\.0\\.0\\.1:${uiPort}/namespaces/default/workflows`));
    assert.deepEqual(await httpGet('http://127.0.0.1:18080/'), { ok: true, body: 'Hello from Clocker on Temporal\n' });

    // The Web UI at the printed address lists the application's workflow (through its own API).
    const listed = await httpGet(`http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows?query=${encodeURIComponent('ClockerKind="application"')}`);
    assert.equal(listed.ok, true, listed.body);
    assert.match(listed.body, /clocker\/app\/hello/);

    const status = await clocker(['status', 'hello'], env);
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /application hello on local: RUNNING/);
    // The member's host address is the engine's bridge gateway (containers reach the host there).
    assert.ok(status.out.includes(`${await localHostAddress(docker)}:18080->8080/tcp`), status.out);

    const logs = await clocker(['logs', 'hello', 'web', '--tail', '5'], env);
    assert.equal(logs.code, 0, logs.out);
    assert.match(logs.out, /^serving on 8080$/m);
    const missing = await clocker(['logs', 'hello', 'nope'], env);
    assert.match(missing.out, /application "hello" has no service "nope" \(it has: web\)/);

    const plan = await clocker(['plan', 'examples/hello.yaml'], env);
    assert.equal(plan.out.trim(), 'hello: no changes\nexamples/hello.yaml: preflight ok: infrastructure "local" can take "hello"');
    const again = await clocker(['deploy', 'examples/hello.yaml'], env);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /updating "hello" to version 2:\nhello: no changes/);

    const stop = await clocker(['stop', 'hello'], env);
    assert.equal(stop.code, 0, stop.out);
    assert.match(stop.out, /web \(STOPPED\)/);
    assert.equal((await httpGet('http://127.0.0.1:18080/')).ok, false, 'nothing answers while stopped');
    const start = await clocker(['start', 'hello'], env);
    assert.equal(start.code, 0, start.out);
    assert.deepEqual(await httpGet('http://127.0.0.1:18080/'), { ok: true, body: 'Hello from Clocker on Temporal\n' });

    const destroy = await clocker(['destroy', 'hello'], env);
    assert.equal(destroy.code, 0, destroy.out);
    assert.match(destroy.out, /application hello: DESTROYED/);
    assert.equal((await appContainers(docker, 'hello')).length, 0);
    assert.equal((await docker.listNetworks({ filters: { label: ['io.clocker.app=hello'] } })).length, 0);
    assert.equal((await docker.listVolumes({ filters: { label: ['io.clocker.app=hello'] } })).Volumes?.length ?? 0, 0);

    assert.equal(await up.interrupt(), 0);
    assert.equal((await httpGet(`http://127.0.0.1:${uiPort}/`)).ok, false, 'the dev server stopped');

    up = new UpProcess(['--port', String(port), '--ui-port', String(uiPort)], env);
    await up.waitFor('clocker is up');
    assert.match(up.output, /infrastructure "local" resumed/);
    const list = await clocker(['status', '--all'], env);
    assert.match(list.out, /hello\s*│ DESTROYED\s*│ COMPLETED/);
    assert.equal(await up.interrupt(), 0);
  });
});
