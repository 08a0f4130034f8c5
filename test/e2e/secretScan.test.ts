// The secret scan: a container prints its secret in six forms (as is, URL-encoded, base64,
// hex, JSON-escaped, reversed) and a cut-short piece of it, then exits before it is healthy,
// so its output goes into the deployment's error. None of those forms is then found in any
// workflow history (read raw from the server: the dev server stores payloads plain), in
// `clocker status --json`, or in the worker's log; the error is there, with `***` in place.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { skipUnlessPresent } from '../support/components';
import { removeAppLeftovers } from '../support/dockerChecks';
import { scanHistories } from '../support/historyScan';
import { runCli } from '../support/cli';
import { startLocalStack, type Stack } from '../support/stack';

const APP = 'secret-scan';

/** Each line is one form, made by the container's own tools from $PW. */
const printForms = [
  'printf "plain %s\\n" "$PW"',
  'printf "url %s\\n" "$(printf %s "$PW" | sed "s|%|%25|g; s|/|%2F|g; s|+|%2B|g; s|=|%3D|g; s|&|%26|g; s|\\"|%22|g")"',
  'printf "base64 %s\\n" "$(printf %s "$PW" | base64 | tr -d "\\n")"',
  'printf "hex %s\\n" "$(printf %s "$PW" | xxd -p | tr -d "\\n")"',
  'printf "json {\\"pw\\":\\"%s\\"}\\n" "$(printf %s "$PW" | sed "s|\\"|\\\\\\\\\\"|g")"',
  'printf "reversed %s\\n" "$(printf %s "$PW" | rev)"',
  'printf "cut %s...\\n" "$(printf %s "$PW" | cut -c1-12)"',
  'exit 3',
].join('; ');

describe('secret scan', { skip: skipUnlessPresent('temporal', 'docker') }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const dir = mkdtempSync(join(tmpdir(), 'clocker-scan-'));
  const secrets = join(dir, 'secrets');
  const secret = `s3cr3t/${randomBytes(8).toString('hex')}+key=v&w"q`;
  const bytes = Buffer.from(secret);
  const forms: Record<string, string> = {
    plain: secret,
    url: encodeURIComponent(secret),
    base64: bytes.toString('base64'),
    hex: bytes.toString('hex'),
    json: JSON.stringify(secret).slice(1, -1),
    reversed: [...secret].reverse().join(''),
    cut: secret.slice(0, 12),
  };
  let stack: Stack;

  const cli = (...args: string[]) => runCli(stack, ...args);

  const found = (text: string): string[] => Object.entries(forms).flatMap(([name, form]) => (text.includes(form) ? [name] : []));

  before(async () => {
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'scan_pw'), secret);
    process.env.CLOCKER_SECRETS_DIR = secrets; // the worker inherits it
    stack = await startLocalStack(docker);
  });

  after(async () => {
    // The deploy failed on purpose: its application (and its default network) stays until destroyed.
    if (stack) await stack.clocker.destroy(APP, 60_000);
    await removeAppLeftovers(docker, APP);
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a container printing its secret in six forms and a piece of it: no history, status or worker log holds any', async () => {
    const file = join(dir, 'scan.yaml');
    writeFileSync(
      file,
      [
        `name: ${APP}`,
        'services:',
        '  - id: leaky',
        '    image: clocker/busybox:1',
        `    command: ["sh", "-c", ${JSON.stringify(printForms)}]`,
        '    env:',
        '      PW: ${secret:scan_pw}',
        '    health: { type: tcp, port: 8080 }',
        '',
      ].join('\n'),
    );
    const deploy = await cli('deploy', file, '--timeout', '120');
    assert.notEqual(deploy.code, 0, deploy.out);
    // The output did reach the error: each form's line is there, redacted.
    for (const name of Object.keys(forms)) assert.match(deploy.out, new RegExp(`${name} [^\\n]*\\*\\*\\*`), `${name} line:\n${deploy.out}`);
    assert.deepEqual(found(deploy.out), [], deploy.out);

    const status = await cli('status', APP, '--json');
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /exited with code 3/);
    assert.deepEqual(found(status.out), [], status.out);

    const scan = await scanHistories(stack.clocker.temporal, Object.values(forms));
    assert.ok(scan.workflows >= 2 && scan.clearPayloads > 0, JSON.stringify(scan));
    assert.deepEqual(scan.findings, []);
    // And the error is in a history too (the scan looks where the output went).
    const withError = await scanHistories(stack.clocker.temporal, ['exited with code 3']);
    assert.ok(withError.findings.length > 0, 'the redacted output is in history');

    const logs = readdirSync(stack.home).filter((f) => f.startsWith('worker-'));
    assert.ok(logs.length > 0);
    for (const log of logs) assert.deepEqual(found(readFileSync(join(stack.home, log), 'utf8')), [], log);
  });
});
