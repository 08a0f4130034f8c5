// A secret reference outside env is refused at validate, at its place: it would reach the
// container as literal text (or show in `docker inspect`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBlueprintOrCompose } from '../../../domain/blueprint';

const text = [
  'name: s',
  'services:',
  '  - id: web',
  '    image: clocker/busybox:1',
  "    command: [sh, -c, 'echo ${secret:pw}']",
  "    entrypoint: ['${secret:pw}']",
  '    labels:',
  '      token: ${secret:pw}',
  '    env:',
  '      PW: ${secret:pw}',
  '    health: { type: exec, command: [check, "${secret:pw}"] }',
  '',
].join('\n');

test('${secret:…} in command, entrypoint, labels and a health exec is refused at its line and column; env takes it', () => {
  const result = loadBlueprintOrCompose(text, 'f.yaml');
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.code, e.path, e.line, e.column]),
    [
      ['secret.placement', 'services[0].command[2]', 5, 23],
      ['secret.placement', 'services[0].entrypoint[0]', 6, 18],
      ['secret.placement', 'services[0].labels.token', 8, 14],
      ['secret.placement', 'services[0].health.command[1]', 11, 44],
    ],
  );
  assert.match(result.errors[0]!.message, /secrets go in env only.*\$DB_PASSWORD/);
});

test('env alone, and an escaped $${secret:…} in a command (literal text by intent), pass', () => {
  const ok = text
    .split('\n')
    .filter((l) => !/entrypoint|labels|token|health/.test(l))
    .join('\n')
    .replace("'echo ${secret:pw}'", () => "'echo $${secret:pw} is literal; the value is $PW'");
  const result = loadBlueprintOrCompose(ok, 'f.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.blueprint.secrets, ['pw']);
  assert.deepEqual(result.blueprint.services[0]!.command, ['sh', '-c', 'echo $${secret:pw} is literal; the value is $PW']);
});
