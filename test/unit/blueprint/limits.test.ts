// Bounds with their own messages (nesting, line length, encoding) and Docker's rules at
// validate (image references, NUL), each at its line and column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostics } from '../../../domain/blueprint/diagnostic';
import { imageProblem } from '../../../domain/blueprint/build/dockerRules';
import { loadBlueprintOrCompose } from '../../../domain/blueprint/loadAny';
import { MAX_DEPTH, MAX_LINE_LENGTH, textProblems } from '../../../domain/blueprint/textLimits';

const service = (lines: string[]) => ['name: x', 'services:', '  - id: a', '    image: clocker/busybox:1', ...lines, ''].join('\n');

function errors(text: string) {
  const result = loadBlueprintOrCompose(text, 'f.yaml');
  assert.ok(!result.ok, 'rejected');
  return result.errors;
}

test('1,000-deep nesting, in flow or block form, is refused with the bound, not a stack overflow', () => {
  for (const text of [
    service([`    labels: ${'['.repeat(1000)}${']'.repeat(1000)}`]),
    service([`    config: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`]),
    service(['    config:', ...Array.from({ length: 1000 }, (_, i) => `${' '.repeat(6 + 2 * i)}k${i}:`), `${' '.repeat(2006)}1`]),
    service(['    command:', ...Array.from({ length: 1000 }, (_, i) => `${' '.repeat(6 + 2 * i)}- `)]),
  ]) {
    const [first, ...rest] = errors(text);
    assert.equal(rest.length, 0);
    assert.equal(first?.code, 'text.depth');
    assert.match(first?.message ?? '', new RegExp(`more than ${MAX_DEPTH} levels`));
    assert.doesNotMatch(first?.message ?? '', /call stack/);
  }
});

test('ordinary depth passes the bound: 20 levels of flow and block', () => {
  assert.deepEqual(textProblems(service([`    labels: {a: ${'['.repeat(20)}${']'.repeat(20)}}`])), []);
  assert.deepEqual(textProblems(service(['    config:', ...Array.from({ length: 20 }, (_, i) => `${' '.repeat(6 + 2 * i)}k${i}:`)])), []);
  // Brackets inside quotes, comments, block scalars and mid-word do not count.
  const lines = ['    command: ["sh", "-c", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', '    # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '    user: a[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '    labels:', '      script: |', `        ${'['.repeat(100)}`];
  assert.deepEqual(textProblems(service(lines)), []);
});

test('a 100,000-character line is refused with its length and the limit, and is never echoed whole', () => {
  const text = service([`    user: ${'u'.repeat(100_000)}`]);
  const found = errors(text);
  assert.deepEqual(found.map((e) => [e.code, e.line, e.column]), [['text.lineLength', 5, MAX_LINE_LENGTH + 1]]);
  assert.match(found[0]!.message, /100,010 characters long; the limit is 10,000/);
  const printed = formatDiagnostics(found, text);
  assert.ok(printed.length < 600, `printed ${printed.length} characters`);
  assert.match(printed, /\n5 \| …u+…\n\s+\^$/);
});

test('a long line under the limit is echoed as a window around the column', () => {
  const text = service([`    image: ${'x'.repeat(5000)};rm`]);
  const printed = formatDiagnostics(errors(text), text);
  assert.ok(printed.length < 1000, printed);
});

test('text that was not UTF-8 (read with replacement characters) is refused at the first one', () => {
  const [before, after] = service(['    labels: {a: "X"}']).split('X');
  const bytes = Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xff, 0xfe]), Buffer.from(after ?? '')]);
  const found = errors(bytes.toString('utf8'));
  assert.deepEqual(found.map((e) => [e.code, e.line]), [['text.encoding', 5]]);
});

test("image references follow Docker's grammar: newline, ';', spaces and upper case are refused at validate", () => {
  for (const ok of ['clocker/busybox:1', 'postgres:15-alpine', 'registry.example.com:5000/team/app:v1.2', 'localhost/a__b.c-d', `redis@sha256:${'a'.repeat(64)}`, 'a/b:c@sha256:' + 'f'.repeat(64)]) {
    assert.equal(imageProblem(ok), undefined, ok);
  }
  for (const bad of ['busybox\nrm -rf /', 'busybox;reboot', 'bus box', 'Busybox', 'busybox:', 'busybox:tag with space', '-busybox', 'a//b', `a:${'t'.repeat(129)}`]) {
    assert.ok(imageProblem(bad) !== undefined, bad);
  }
  const found = errors(service([]).replace('clocker/busybox:1', '"busybox;reboot"'));
  assert.deepEqual(found.map((e) => [e.code, e.path, e.line]), [['image.reference', 'services[0].image', 4]]);
  assert.match(found[0]!.message, /"busybox;reboot" is not an image reference Docker accepts/);
});

test('a NUL in an env value (or any service text) is refused at its place', () => {
  const found = errors(service(['    env:', '      A: "x\\0y"', '    command: [sh, "-c", "a\\0"]']));
  assert.deepEqual(found.map((e) => [e.code, e.path, e.line]), [
    ['text.nul', 'services[0].env.A', 6],
    ['text.nul', 'services[0].command[2]', 7],
  ]);
});
