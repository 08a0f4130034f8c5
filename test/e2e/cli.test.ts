// The quick start, as a person runs it: `clocker up --deploy examples/hello.yaml`, the page on
// its published port, the workflow in the Web UI, `status`, `destroy`, Ctrl-C, and a second
// `clocker up` that finds the same state.
// e2e-group: beside (its own `clocker up` on free ports; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { ensureBusyboxImage } from '../../client/images/busyboxImage';
import { localHostAddress } from '../../client/localHostAddress';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { appContainers, httpGet, removeAppLeftovers } from '../support/dockerChecks';
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

/** A CLI command left running (`status --watch`, a follow to interrupt): its output so far. */
class Running {
  output = '';
  readonly child: ChildProcess;
  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }
  waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
    return waitUntil(`\`clocker\` to print ${pattern} (so far:\n${this.output})`, timeoutMs, async () => pattern.test(this.output));
  }
  interrupt(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGINT');
    });
  }
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
    await removeAppLeftovers(docker, 'hello');
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
  test('long commands show progress as it happens; --detach and Ctrl-C leave the work going, `status --watch` picks it up', async () => {
    // Its own application (two members, no published port), beside anything else on the engine.
    const app = `cli-progress-${process.pid}`;
    const file = join(home, 'progress.yaml');
    writeFileSync(
      file,
      [`name: ${app}`, 'location: local', 'services:', '  - id: web', '    image: clocker/busybox:1', '    count: 2', "    command: [sh, -c, 'trap \"exit 0\" TERM; while true; do sleep 1; done']", ''].join('\n'),
    );
    up = new UpProcess(['--port', String(port), '--ui-port', String(uiPort)], env);
    await up.waitFor('clocker is up');
    try {
      // Not a terminal: plain lines, each stamped, as each member moves.
      const deploy = await clocker(['deploy', file], env);
      assert.equal(deploy.code, 0, deploy.out);
      assert.match(deploy.out, new RegExp(`^\\[\\s*\\d+\\.\\ds\\] application ${app}: (DEPLOYING|RUNNING)$`, 'm'), deploy.out);
      assert.match(deploy.out, /^\[\s*\d+\.\ds\]   web\.1 on local: healthy$/m, deploy.out);
      assert.match(deploy.out, /^\[\s*\d+\.\ds\]   web\.2 on local: healthy$/m, deploy.out);
      assert.doesNotMatch(deploy.out, /\x1b\[/, 'no escape codes where stdout is not a terminal');

      // stop of the only service: the application follows it to STOPPED before the command ends.
      const stop = await clocker(['stop', app, 'web'], env);
      assert.equal(stop.code, 0, stop.out);
      assert.match(stop.out, /^\[\s*\d+\.\ds\]   web\.1 on local: stopped$/m, stop.out);
      assert.match(stop.out, new RegExp(`application ${app} on local: STOPPED`), stop.out);

      // --detach: back at once with the hint; the start goes on, and `status --watch` shows it arrive.
      const detached = await clocker(['start', app, '--detach'], env);
      assert.equal(detached.code, 0, detached.out);
      assert.match(detached.out, new RegExp(`start of ${app} goes on in Temporal; follow it with \`clocker status ${app} --watch\``));
      const watch = new Running(['status', app, '--watch'], env);
      await watch.waitFor(/web: RUNNING, 2 of 2 healthy/);
      assert.equal(await watch.interrupt(), 0, 'Ctrl-C ends a watch as asked');

      // Ctrl-C while following a restart: the follow ends (130) with the hint, the restart does not.
      const restart = new Running(['restart', app], env);
      await restart.waitFor(/^\[\s*\d+\.\ds\] application /m);
      assert.equal(await restart.interrupt(), 130, restart.output);
      assert.match(restart.output, new RegExp(`nothing was cancelled: the work goes on in Temporal\\); reattach with \`clocker status ${app} --watch\``));
      await waitUntil('the restart to finish without its follower', 120_000, async () => {
        const view = JSON.parse((await clocker(['status', app, '--json'], env)).out) as { services: { effectorsDone?: number; status: string }[] };
        return view.services[0]?.status === 'RUNNING' && (view.services[0]?.effectorsDone ?? 0) >= 3;
      });

      const destroy = await clocker(['destroy', app], env);
      assert.equal(destroy.code, 0, destroy.out);
      assert.match(destroy.out, new RegExp(`^\\[\\s*\\d+\\.\\ds\\] application ${app}: DESTROYING$`, 'm'), destroy.out);
      assert.match(destroy.out, new RegExp(`^application ${app}: DESTROYED$`, 'm'));
      assert.equal((await appContainers(docker, app)).length, 0);
    } finally {
      await removeAppLeftovers(docker, app);
    }
    assert.equal(await up.interrupt(), 0);
  });
});
