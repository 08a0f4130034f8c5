// `clocker plan` against a running stack and the local engine: one run reports a missing
// secret, an unknown location, an infeasible placement and host ports taken (by another
// application's container, and by a program that is not a container), each at file:line:column;
// `clocker deploy` of such a file creates nothing, and neither does the application workflow
// when it is started without the CLI's check.
//
// A blueprint names one location, and one that is unknown has no hosts to place on or look at,
// so the unknown location is a second file in the same run (`plan` takes several).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { readBlueprintFile } from '../../client/blueprintFile';
import { skipUnlessPresent } from '../support/components';
import { appContainers, removeAppLeftovers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');
const APPS = ['holder', 'planned', 'lost'];
/** Absent from the engine, and its registry (a closed loopback port) never answers. */
const ABSENT_IMAGE = '127.0.0.1:1/clocker/plan-absent:1';

function clocker(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** `file:line:column` of the first occurrence of `needle` in `text`. */
function at(file: string, text: string, needle: string): string {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in ${file}`);
  const before = text.slice(0, offset).split('\n');
  return `${file}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

describe('clocker plan', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-plan-'));
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  let other: Server | undefined;

  before(async () => {
    for (const app of APPS) assert.equal((await appContainers(docker, app)).length, 0, `an earlier run left a ${app} container`);
    stack = await startLocalStack(docker);
    env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue };
  });

  after(async () => {
    await removeAppLeftovers(docker, ...APPS);
    await new Promise((r) => (other ? other.close(r) : r(undefined)));
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('one run reports every problem with file:line:column; deploy then creates nothing', async (t) => {
    // Another application holds one port; a program that is not a container holds another.
    const heldByApp = await freePort();
    const httpd = (id: string, hostPort: number) =>
      serviceSpec({ id, image: 'clocker/busybox:1', command: ['httpd', '-f', '-p', '8080'], ports: [{ containerPort: 8080, hostPort, protocol: 'tcp' }] });
    await stack.clocker.deploy(blueprint('holder', [httpd('web', heldByApp)]));
    assert.equal((await stack.clocker.waitFor('holder', (v) => v.status !== 'DEPLOYING', 120_000)).status, 'RUNNING');
    const heldByProgram = await freePort();
    other = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => other?.listen(heldByProgram, '0.0.0.0', resolve));
    const widePort = await freePort();

    const planned = join(dir, 'planned.yaml');
    const plannedText = [
      'name: planned',
      'location: local',
      'services:',
      '  - id: web',
      '    image: clocker/busybox:1',
      '    command: [httpd, -f, -p, "8080"]',
      '    env:',
      '      API_KEY: $secret:plan-missing-key',
      '    ports:',
      `      - "${heldByApp}:8080"`,
      '  - id: wide',
      '    image: clocker/busybox:1',
      '    command: [httpd, -f, -p, "8080"]',
      '    count: 2',
      '    ports:',
      `      - "${widePort}:8080"`,
      '  - id: side',
      '    image: clocker/busybox:1',
      '    command: [httpd, -f, -p, "8080"]',
      '    ports:',
      `      - "${heldByProgram}:8080"`,
      '  - id: nothere',
      `    image: ${ABSENT_IMAGE}`,
      '',
    ].join('\n');
    writeFileSync(planned, plannedText);
    const lost = join(dir, 'lost.yaml');
    const lostText = ['name: lost', 'location: nowhere', 'services:', '  - id: web', '    image: clocker/busybox:1', '    env:', '      API_KEY: $secret:plan-missing-key', ''].join('\n');
    writeFileSync(lost, lostText);

    const secret = 'secret "plan-missing-key" is not in the worker\'s secret store (CLOCKER_SECRET_PLAN_MISSING_KEY or the secrets folder)';
    const { code, out } = await clocker(['plan', planned, lost], env);
    assert.equal(code, 1, out);
    t.diagnostic(out);
    const lines = out.split('\n').filter((l) => / error: /.test(l));
    // Docker's own words for the registry that does not answer vary by version: only the start is pinned.
    const image = lines.findIndex((l) => l.startsWith(`${at(planned, plannedText, ABSENT_IMAGE)}: error: services[3].image: image ${ABSENT_IMAGE}: not on host local and registry 127.0.0.1:1 did not answer for it (`));
    assert.ok(image >= 0, out);
    lines.splice(image, 1);
    assert.deepEqual(lines, [
      `${at(planned, plannedText, '$secret')}: error: services[0].env.API_KEY: ${secret}`,
      `${at(planned, plannedText, `"${heldByApp}`)}: error: services[0].ports[0]: host port ${heldByApp}/tcp on host local is held by container holder.web.1 of application "holder"`,
      `${at(planned, plannedText, 'id: wide')}: error: services[1]: does not fit (the application needs 5 members in all): no host fits member 2 of planned/wide (placed 1 of 2): 1 host: 1 at maxPerHost=1`,
      `${at(planned, plannedText, `"${heldByProgram}`)}: error: services[2].ports[0]: host port ${heldByProgram}/tcp on host local is held by a process on the host that is not a container`,
      `${at(lost, lostText, 'nowhere')}: error: location: infrastructure "nowhere" is not running; start it with \`clocker up\` (local) or \`clocker infra create\` (nothing that needs its hosts, placement, ports or images, was checked)`,
      `${at(lost, lostText, '$secret')}: error: services[0].env.API_KEY: ${secret}`,
    ]);
    assert.match(out, /planned\.yaml: 5 problems: `clocker deploy` would create nothing/);
    assert.match(out, /lost\.yaml: 2 problems: `clocker deploy` would create nothing/);
    // The plan itself is still printed first.
    assert.match(out, /^\+ web: add \(1 member\)$/m);

    // deploy runs the same checks first and starts nothing.
    const deployed = await clocker(['deploy', planned], env);
    assert.equal(deployed.code, 1, deployed.out);
    assert.match(deployed.out, /"planned" was not deployed: 5 problems \(above\); nothing was created/);
    assert.equal(await stack.clocker.runningBlueprint('planned'), undefined, 'no application workflow was started');

    // The application workflow refuses it too when started directly: FAILED, nothing created or booked.
    await stack.clocker.deploy(readBlueprintFile(planned));
    const view = await stack.clocker.waitFor('planned', (v) => v.status !== 'DEPLOYING', 120_000);
    assert.equal(view.status, 'FAILED', JSON.stringify(view));
    assert.match(view.error ?? '', /^refused before anything was created: services\[0\]\.env\.API_KEY: secret "plan-missing-key"/);
    assert.equal((await appContainers(docker, 'planned')).length, 0);
    assert.deepEqual((await stack.clocker.infrastructureStatus('local')).bookings.filter((b) => b.app === 'planned'), []);
    assert.equal((await stack.clocker.destroy('planned', 60_000)).status, 'DESTROYED');

    assert.equal((await stack.clocker.destroy('holder', 60_000)).status, 'DESTROYED');
    assert.equal((await appContainers(docker, 'holder')).length, 0);
  });
});
