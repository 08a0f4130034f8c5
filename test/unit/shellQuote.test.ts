import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteArg, quoteArgv } from '../../activities/ssh/shellQuote';

test('plain words pass through unquoted', () => {
  assert.equal(quoteArgv(['docker', 'run', '--name', 'app.web.1', '-p', '8080:80']), 'docker run --name app.web.1 -p 8080:80');
});

test('anything a shell would interpret is single-quoted', () => {
  assert.equal(quoteArg('$(rm -rf /)'), "'$(rm -rf /)'");
  assert.equal(quoteArg('a b'), "'a b'");
  assert.equal(quoteArg('`id`;ls|cat>x&'), "'`id`;ls|cat>x&'");
  assert.equal(quoteArg(''), "''");
  assert.equal(quoteArg('*'), "'*'");
  assert.equal(quoteArg('~root'), "'~root'");
});

test("a single quote inside an argument is closed, escaped and reopened", () => {
  assert.equal(quoteArg("it's"), "'it'\\''s'");
});

test('an empty argv is refused', () => {
  assert.throws(() => quoteArgv([]), /empty command/);
});

test('quoted arguments survive a real shell unchanged', async () => {
  const { execFileSync } = await import('node:child_process');
  const nasty = ["it's", '$(echo pwned)', 'a\nb', '"double"', '\\back', '; exit 3', ''];
  const script = `printf '%s\\0' ${quoteArgv(nasty)}`;
  const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), nasty);
});
