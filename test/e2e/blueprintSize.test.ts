// A blueprint over the server's payload limit is refused by the CLI before anything starts:
// `deploy` and `plan` of a 5 MB blueprint answer at once (the time is printed; ~1–2 s quiet) with
// its encoded size and the limit (the server itself would refuse it after a long wait as a bare
// "Failed to start Workflow"). The bound asserted is a hang guard, not a timing: tests run under load.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { skipUnlessPresent } from '../support/components';
import { startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'clocker.js');

/** `services` services, each with an env value of `valueLength` characters (under the line bound). */
function bigBlueprint(services: number, valueLength: number): string {
  const lines = ['name: big', 'services:'];
  for (let i = 0; i < services; i++) lines.push(`  - id: s${i}`, '    image: clocker/busybox:1', '    env:', `      BLOB: ${'x'.repeat(valueLength)}`);
  return `${lines.join('\n')}\n`;
}

describe('blueprint size', { skip: skipUnlessPresent('temporal') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'clocker-size-'));
  let stack: Stack;

  const cli = (...args: string[]): Promise<{ code: number; out: string; ms: number }> =>
    new Promise((resolve) => {
      const started = Date.now();
      const env = { ...process.env, CLOCKER_TEMPORAL_ADDRESS: stack.server.address, CLOCKER_TASK_QUEUE: stack.clocker.taskQueue };
      execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}`, ms: Date.now() - started });
      });
    });

  before(async () => {
    stack = await startStack(); // no worker: nothing may start, so nothing needs one
  });

  after(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a 5 MB blueprint: deploy and plan refuse it before any workflow call, with its size and the limit; no workflow starts', async () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, bigBlueprint(560, 9_000));
    assert.ok(statSync(file).size > 5_000_000, `${statSync(file).size} bytes`);
    for (const command of ['deploy', 'plan']) {
      const run = await cli(command, file);
      assert.notEqual(run.code, 0, run.out);
      assert.match(run.out, /blueprint "big" is [5-9](\.\d)? MB encoded; the limit is 2 MB \(the Temporal server's payload size limit\): split it/, run.out.slice(0, 2000));
      assert.ok(run.ms < 30_000, `${command} took ${run.ms} ms (hang guard)`);
      console.log(`${command}: refused in ${run.ms} ms`);
      assert.ok(run.out.length < 2000, `the answer is short (${run.out.length} characters), the blueprint is not echoed`);
    }
    const started = [];
    for await (const wf of stack.clocker.temporal.workflow.list()) started.push(wf.workflowId);
    assert.deepEqual(started, []);
  });

  test('under the limit it passes the size check (and meets the next one: here, no infrastructure)', async () => {
    const file = join(dir, 'fits.yaml');
    writeFileSync(file, bigBlueprint(100, 9_000));
    const run = await cli('plan', file);
    assert.doesNotMatch(run.out, /encoded; the limit/, run.out.slice(0, 2000));
  });
});
