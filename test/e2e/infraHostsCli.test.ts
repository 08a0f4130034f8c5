// `clocker infra resize`, `add-host` and `remove-host` as a user runs them on SSH rig hosts:
// each follows its hosts as `infra create` does (the step a provisioning host's workflow is
// on, a draining host) until the change has settled, and prints the hosts then; `--detach`
// returns at once with the hint; Ctrl-C stops following and the work goes on, picked up by
// `clocker infra status NAME --watch`. Output is piped, so lines are plain and stamped.
// e2e-group: beside (its own rig hosts and infrastructure name; scripts/test.js runs it beside the local-engine files).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { provisionRoot } from '../rig/provisionedDaemons';
import { createRig, type Rig } from '../rig/rig';
import { waitUntil } from '../rig/waitUntil';
import { runCli } from '../support/cli';
import { skipUnlessPresent } from '../support/components';
import { startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');

/** A CLI command left running, to look at while it follows and to interrupt. */
class Running {
  output = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  constructor(stack: Stack, args: string[]) {
    const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue };
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
  waitFor(pattern: RegExp, timeoutMs = 180_000): Promise<void> {
    return waitUntil(`\`clocker\` to print ${pattern} (so far:\n${this.output})`, timeoutMs, async () => {
      if (pattern.test(this.output)) return true;
      if (this.child.exitCode !== null) throw new Error(`clocker exited ${this.child.exitCode} without printing ${pattern}:\n${this.output}`);
      return false;
    });
  }
  interrupt(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    return this.exited;
  }
}

/** A progress line as a pipe gets it: `[  1.2s]   h2 10.x.y.z: PROVISIONING (docker)`. */
const stamped = (rest: string) => new RegExp(`^\\[\\s*\\d+\\.\\ds\\]   ${rest}`, 'm');

describe('infra host commands follow their hosts', { skip: skipUnlessPresent('rig', 'docker', 'temporal') }, () => {
  let rig: Rig;
  let stack: Stack;
  let name: string;
  const address = (i: number) => rig.hosts[i]!.address.replace(/\./g, '\\.');

  before(async () => {
    rig = await createRig({ hosts: 3, docker: false });
    name = `ihc-${rig.id}`;
    stack = await startStack();
    const home = join(stack.home, 'clocker');
    mkdirSync(home, { recursive: true });
    // Workers inherit these: their state folder (certificates) and the SSH key, by reference.
    process.env.CLOCKER_HOME = home;
    process.env.CLOCKER_SECRET_RIG_KEY = rig.hosts[0]!.privateKey;
    await stack.startWorker();
  });

  after(async () => {
    await stack?.stop();
    await rig?.teardown();
  });

  test('resize, add-host and remove-host show each host until the change settles; --detach and Ctrl-C leave it going', async (t) => {
    const [h1, h2, h3] = rig.hosts as [Rig['hosts'][0], Rig['hosts'][0], Rig['hosts'][0]];
    const file = join(stack.home, 'infra.yaml');
    writeFileSync(
      file,
      [
        `name: ${name}`,
        'location:',
        '  byon:',
        '    key: $secret:rig-key',
        '    hosts:',
        `      - { id: h1, address: ${h1.address}, root: ${provisionRoot(h1.dir)} }`,
        `      - { id: h2, address: ${h2.address}, root: ${provisionRoot(h2.dir)}, spare: true }`,
        'monitoring: { intervalSeconds: 2, failureThreshold: 3 }',
        'drainTimeoutSeconds: 5',
        '',
      ].join('\n'),
    );
    const created = await runCli(stack, 'infra', 'create', file);
    assert.equal(created.code, 0, created.out);
    assert.match(created.out, stamped(`h1 ${address(0)}: AVAILABLE, Docker `));

    // Growing by the spare: its provisioning steps as they happen, then the hosts as they are.
    const grown = await runCli(stack, 'infra', 'resize', name, '2');
    assert.equal(grown.code, 0, grown.out);
    t.diagnostic(grown.out);
    assert.match(grown.out, new RegExp(`^infrastructure "${name}": resizing to 2 hosts$`, 'm'));
    assert.match(grown.out, stamped(`h2 ${address(1)}: PROVISIONING \\(\\S+\\)$`), grown.out);
    assert.match(grown.out, stamped(`h2 ${address(1)}: AVAILABLE, Docker `), grown.out);
    assert.doesNotMatch(grown.out, /--watch/, 'it followed: no hint to follow it');
    assert.doesNotMatch(grown.out, /\x1b\[/, 'no escape codes where stdout is not a terminal');

    // Beyond the spares: said at once, and followed to what it can reach.
    const tooFar = await runCli(stack, 'infra', 'resize', name, '5', '--detach');
    assert.equal(tooFar.code, 0, tooFar.out);
    assert.equal(tooFar.out.trim(), `infrastructure "${name}": resizing to 5 hosts (it can reach 2: 0 spares left to provision); it goes on in Temporal; follow it with \`clocker infra status ${name} --watch\``);

    // A new host, Ctrl-C while it provisions: the follow ends (130) with the hint, provisioning goes on.
    const adding = new Running(stack, ['infra', 'add-host', name, 'h3', h3.address, '--key', '$secret:rig-key', '--root', provisionRoot(h3.dir)]);
    await adding.waitFor(stamped(`h3 ${address(2)}: PROVISIONING`));
    assert.equal(await adding.interrupt(), 130, adding.output);
    assert.match(adding.output, new RegExp(`nothing was cancelled: the work goes on in Temporal\\); reattach with \`clocker infra status ${name} --watch\``));
    const watch = new Running(stack, ['infra', 'status', name, '--watch']);
    await watch.waitFor(stamped(`h3 ${address(2)}: AVAILABLE, Docker `));
    assert.equal(await watch.interrupt(), 0, 'Ctrl-C ends a watch as asked');

    // What the workflow would only log is refused before anything is sent.
    const again = await runCli(stack, 'infra', 'add-host', name, 'h3', h3.address, '--key', '$secret:rig-key');
    assert.notEqual(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`infrastructure "${name}" already has a host h3`));
    const unknown = await runCli(stack, 'infra', 'remove-host', name, 'h9');
    assert.notEqual(unknown.code, 0, unknown.out);
    assert.match(unknown.out, new RegExp(`infrastructure "${name}" has no host h9 \\(hosts: h1, h2, h3\\)`));

    // Removing a host: followed through its drain until it is forgotten.
    const removed = await runCli(stack, 'infra', 'remove-host', name, 'h3');
    assert.equal(removed.code, 0, removed.out);
    t.diagnostic(removed.out);
    assert.match(removed.out, /host h3 drained and forgotten$/m);
    const after = await stack.clocker.infrastructureStatus(name);
    assert.deepEqual(after.hosts.map((h) => [h.id, h.status]), [['h1', 'AVAILABLE'], ['h2', 'AVAILABLE']]);

    // Shrinking, followed: the emptiest, newest host drains back to the spares.
    const shrunk = await runCli(stack, 'infra', 'resize', name, '1');
    assert.equal(shrunk.code, 0, shrunk.out);
    const final = await stack.clocker.infrastructureStatus(name);
    assert.equal(final.hosts.length, 1, shrunk.out);
    assert.equal(final.spares?.length, 1, shrunk.out);
    assert.match(shrunk.out, stamped(`h\\d \\S+: spare$`), shrunk.out);
  });
});
