// `reload`: an argv run in each running member when a referenced value changes. Elements are
// templates like env values; secrets are refused (an argv shows in `ps`); references imply
// dependencies like env references do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, load, yaml } from './helpers';

const attr = (service: string, attribute: string) => ({ kind: 'attribute' as const, service, attribute });
const text = (t: string) => ({ kind: 'text' as const, text: t });

test('reload.exec elements become templates; the timeout defaults to 30s', () => {
  const bp = load(yaml(`
    name: app
    config: { signal: HUP }
    services:
      - { id: web, image: i, count: 2 }
      - id: lb
        image: clocker/nginx-lb:1
        env:
          BACKENDS: \${web.members.tiers.8080}
        reload:
          exec: ["reload-backends", "\${web.members.tiers.8080}", "--signal=\${config:signal}", "$\${literal}", 3, '$brooklyn:formatString("%s:%d", $brooklyn:entity("web").attributeWhenReady("host.address"), 80)']
      - id: cache
        image: i
        reload: { exec: [kill, -HUP, "1"], timeout: 5s }
  `));
  assert.deepEqual(bp.services[1]?.reload, {
    exec: [
      { parts: [text('reload-backends')] },
      { parts: [attr('web', 'members.tiers.8080')] },
      { parts: [text('--signal=HUP')] },
      { parts: [text('${literal}')] },
      { parts: [text('3')] },
      { parts: [attr('web', 'host.address'), text(':80')] },
    ],
    timeoutMs: 30_000,
  });
  assert.deepEqual(bp.services[2]?.reload, { exec: [{ parts: [text('kill')] }, { parts: [text('-HUP')] }, { parts: [text('1')] }], timeoutMs: 5000 });
  assert.equal(bp.services[0]?.reload, undefined, 'no reload unless written');
  assert.deepEqual(JSON.parse(JSON.stringify(bp)), bp);
});

test('services reload.exec references join dependsOn, so cycles through them are caught', () => {
  const bp = load(yaml(`
    name: app
    services:
      - { id: db, image: i }
      - { id: web, image: i }
      - id: lb
        image: i
        dependsOn: [db]
        env: { DB: "\${db.host.address}" }
        reload: { exec: [reload, "\${web.members.8080}", "\${db.host.address}"] }
  `));
  assert.deepEqual(bp.services[2]?.dependsOn, ['db', 'web']);
  assert.deepEqual(errorsOf(yaml(`
    name: app
    services:
      - { id: a, image: i, env: { B: "\${b.host.address}" } }
      - { id: b, image: i, reload: { exec: [reload, "\${a.host.address}"] } }
  `)), ['app.yaml:3:11: error: services[0].id: dependency cycle: a → b → a']);
});

test('a secret in reload.exec is an error at its element: argv shows in ps', () => {
  const text = yaml(`
    name: app
    services:
      - { id: web, image: i }
      - id: lb
        image: i
        env: { TOKEN: $secret:TOKEN }
        reload:
          exec:
            - reload-backends
            - $secret:TOKEN
            - "--token=\${secret:TOKEN}"
            - $brooklyn:external("vault", "lb-token")
  `);
  const message = (name: string): string => `secret "${name}" cannot be an argument of reload.exec: an argv is visible in "ps" on the host; pass it in env instead and read it there`;
  assert.deepEqual(errorsOf(text), [
    `app.yaml:10:11: error: services[1].reload.exec[1]: ${message('TOKEN')}`,
    `app.yaml:11:11: error: services[1].reload.exec[2]: ${message('TOKEN')}`,
    `app.yaml:12:11: error: services[1].reload.exec[3]: ${message('lb-token')}`,
  ]);
});

test('reload.exec is a non-empty list of strings; unknown keys get a "did you mean"', () => {
  const text = yaml(`
    name: app
    services:
      - { id: a, image: i, reload: { exec: [] } }
      - { id: b, image: i, reload: { exec: "reload-backends x" } }
      - { id: c, image: i, reload: { exec: [reload, { x: 1 }, null] } }
      - id: d
        image: i
        reload:
          exec: [reload]
          timout: 5s
      - { id: e, image: i, reload: { timeout: 1m } }
      - { id: f, image: i, reload: { exec: [reload], timeout: soon } }
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:3:40: error: services[0].reload.exec: needs the command to run, as a list like ["reload-backends", "${web.members.tiers.8080}"]',
    'app.yaml:4:40: error: services[1].reload.exec: expected a list, got "reload-backends x"',
    'app.yaml:5:49: error: services[2].reload.exec[1]: expected a string, a number or true/false, got a map',
    'app.yaml:5:59: error: services[2].reload.exec[2]: expected a string, a number or true/false, got nothing (null)',
    'app.yaml:10:7: error: services[3].reload.timout: unknown field "timout" (did you mean "timeout"?)',
    'app.yaml:11:32: error: services[4].reload.exec: required field "exec" is missing',
    'app.yaml:12:59: error: services[5].reload.timeout: expected a duration like "10s", "1m30s" or "500ms", got "soon"',
  ]);
});

test('reference errors in reload.exec name the element', () => {
  const text = yaml(`
    name: app
    services:
      - id: lb
        image: i
        reload:
          exec: [reload, "\${nosuch.host.address}", "\${lb.host.address}", "\${config:missing}", "\${HOME}"]
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:6:22: error: services[0].reload.exec[1]: reference to "nosuch" is not a service of this blueprint',
    'app.yaml:6:48: error: services[0].reload.exec[2]: reference to "lb" is the service itself',
    'app.yaml:6:70: error: services[0].reload.exec[3]: config key "missing" is not set in this service or the blueprint',
    'app.yaml:6:91: error: services[0].reload.exec[4]: "${HOME}" is not a reference: write ${service.attribute}, ${secret:NAME} or ${config:key} (write $${ for a literal "${")',
  ]);
});
