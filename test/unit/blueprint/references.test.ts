// Every reference form: native, Brooklyn DSL, secrets, config; and resolving them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Template } from '../../../domain/blueprint/model';
import { parseValue } from '../../../domain/blueprint/references/parseValue';
import { bindAttributes, resolveValue, templateText } from '../../../domain/blueprint/references/resolveValue';
import { errorsOf, load, yaml } from './helpers';

const attr = (service: string, attribute: string) => ({ kind: 'attribute' as const, service, attribute });
const text = (t: string) => ({ kind: 'text' as const, text: t });

const cases: [string, unknown][] = [
  ['plain', { ok: true, parts: [text('plain')] }],
  ['', { ok: true, parts: [] }],
  ['${db.host.address}', { ok: true, parts: [attr('db', 'host.address')] }],
  ['http://${web.host.address}:${web.port.8080}/x', { ok: true, parts: [text('http://'), attr('web', 'host.address'), text(':'), attr('web', 'port.8080'), text('/x')] }],
  ['${db.ip.backend}', { ok: true, parts: [attr('db', 'ip.backend')] }],
  ['$${literal}', { ok: true, parts: [text('${literal}')] }],
  ['${secret:DB_PASSWORD}', { ok: true, parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] }],
  ['$secret:DB_PASSWORD', { ok: true, parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] }],
  ['${config:key}', { ok: true, parts: [{ kind: 'config', key: 'key' }] }],
  ['$brooklyn:entity("db").attributeWhenReady("host.address")', { ok: true, parts: [attr('db', 'host.address')] }],
  ["$brooklyn:component('db').attributeWhenReady('host.address')", { ok: true, parts: [attr('db', 'host.address')] }],
  ['$brooklyn:component("global", "db").attributeWhenReady("x")', { ok: true, parts: [attr('db', 'x')] }],
  ['$brooklyn:sibling("db").attributeWhenReady("x")', { ok: true, parts: [attr('db', 'x')] }],
  ['$brooklyn:component("db")', { ok: true, entity: 'db' }],
  ['$brooklyn:config("key")', { ok: true, parts: [{ kind: 'config', key: 'key' }] }],
  ['$brooklyn:entity("db").config("key")', { ok: true, parts: [{ kind: 'config', service: 'db', key: 'key' }] }],
  ['$brooklyn:literal("${x}")', { ok: true, parts: [text('${x}')] }],
  ['$brooklyn:external("vault", "db-pass")', { ok: true, parts: [{ kind: 'secret', name: 'db-pass' }] }],
  [
    '$brooklyn:formatString("jdbc:%s:%d/%s 100%%", $brooklyn:entity("db").attributeWhenReady("host.address"), 5432, $brooklyn:config("name"))',
    { ok: true, parts: [text('jdbc:'), attr('db', 'host.address'), text(':5432/'), { kind: 'config', key: 'name' }, text(' 100%')] },
  ],
  ['$brooklyn:formatString("%s", entity("db").attributeWhenReady("a"))', { ok: true, parts: [attr('db', 'a')] }],
];

for (const [input, expected] of cases) {
  test(`parseValue ${JSON.stringify(input)}`, () => assert.deepEqual(parseValue(input), expected));
}

const failures: [string, string][] = [
  ['${HOME}', '"${HOME}" is not a reference: write ${service.attribute}, ${secret:NAME} or ${config:key} (write $${ for a literal "${")'],
  ['${db}', '"${db}" is not a reference: write ${service.attribute}, ${secret:NAME} or ${config:key} (write $${ for a literal "${")'],
  ['x ${db.host', 'unclosed reference "${db.host": a reference ends with "}" (write $${ for a literal "${")'],
  ['${secret:}', `"\${secret:}" names no valid secret: use letters, digits, '_', '.' or '-'`],
  ['$brooklyn:sensor("x")', '$brooklyn:sensor is not supported here (supported: entity, component, sibling, attributeWhenReady, config, formatString, literal, external)'],
  ['$brooklyn:entity("db").effector("x")', '.effector(…) is not supported on an entity (supported: attributeWhenReady, config)'],
  ['$brooklyn:entity(db)', 'cannot read Brooklyn DSL "$brooklyn:entity(db)": expected "(" at character 10, found ")"'],
  ['$brooklyn:entity("a.b").attributeWhenReady("x")', '$brooklyn:entity("a.b") names no valid service id'],
  ['$brooklyn:formatString("%s")', '$brooklyn:formatString("%s") has more placeholders than arguments'],
  ['$brooklyn:formatString("%s", "a", "b")', '$brooklyn:formatString("%s") has 2 arguments but 1 placeholders'],
  ['$brooklyn:formatString("%x", "a")', '$brooklyn:formatString supports only %s, %d and %%, found "%x"'],
  ['$brooklyn:attributeWhenReady("host.address")', `$brooklyn:attributeWhenReady without an entity reads the service's own attribute, which exists only after it starts: name the entity, e.g. $brooklyn:entity("db").attributeWhenReady("host.address")`],
  ['$brooklyn:entity("db").attributeWhenReady("x") trailing', 'cannot read Brooklyn DSL "$brooklyn:entity(\\"db\\").attributeWhenReady(\\"x\\") trailing": unexpected "trailing" after the expression'],
];

for (const [input, message] of failures) {
  test(`parseValue rejects ${JSON.stringify(input)}`, () => assert.deepEqual(parseValue(input), { ok: false, message }));
}

test('references in env and DNS servers become templates and dependencies; secrets are listed, never resolved', () => {
  const bp = load(yaml(`
    name: app
    config: { scheme: postgres }
    networks:
      - { id: net, dnsServers: ["\${dns.host.address}"] }
    services:
      - { id: dns, image: i }
      - id: db
        image: i
        networks: [net]
        env: { PASSWORD: $secret:DB_PASSWORD, USER: "\${secret:DB_USER}" }
      - id: web
        image: i
        config: { path: /shop }
        env:
          URL: \${config:scheme}://\${db.host.address}\${config:path}
          LITERAL: "$\${not.a.ref}"
  `));
  assert.deepEqual(bp.secrets, ['DB_PASSWORD', 'DB_USER']);
  const web = bp.services[2];
  assert.deepEqual(web?.env, { LITERAL: '${not.a.ref}' });
  assert.deepEqual(web?.envTemplates, { URL: { parts: [text('postgres://'), attr('db', 'host.address'), text('/shop')] } });
  assert.deepEqual(web?.dependsOn, ['db']);
  assert.deepEqual(bp.services[1]?.envTemplates.PASSWORD, { parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] });
});

test('config keys may themselves hold references; a loop between keys is an error', () => {
  const bp = load(yaml(`
    name: app
    config: { url: "$brooklyn:formatString(\\"http://%s\\", $brooklyn:entity(\\"db\\").attributeWhenReady(\\"host.address\\"))" }
    services:
      - { id: db, image: i, config: { port: "5432" } }
      - { id: web, image: i, env: { URL: "\${config:url}", PORT: "$brooklyn:entity(\\"db\\").config(\\"port\\")" } }
  `));
  assert.deepEqual(bp.services[1]?.envTemplates, { URL: { parts: [text('http://'), attr('db', 'host.address')] } });
  assert.deepEqual(bp.services[1]?.env, { PORT: '5432' });
  assert.deepEqual(
    errorsOf('name: app\nconfig: { a: "${config:b}", b: "${config:a}" }\nservices:\n  - { id: w, image: i, env: { X: "${config:a}" } }\n'),
    ['app.yaml:4:34: error: services[0].env.X: config keys refer to each other: config.a → config.b → config.a'],
  );
});

test('reference errors name the field and position', () => {
  const text = yaml(`
    name: app
    services:
      - id: a
        image: i
        env:
          SELF: \${a.host.address}
          NONE: \${nosuch.host.address}
          ENTITY: $brooklyn:entity("b")
          MISSING: \${config:missing}
      - { id: b, image: i }
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:6:13: error: services[0].env.SELF: reference to "a" is the service itself',
    'app.yaml:7:13: error: services[0].env.NONE: reference to "nosuch" is not a service of this blueprint',
    'app.yaml:8:15: error: services[0].env.ENTITY: $brooklyn:entity("b") is a service, not a value: add .attributeWhenReady("host.address") or another attribute',
    'app.yaml:9:16: error: services[0].env.MISSING: config key "missing" is not set in this service or the blueprint',
  ]);
});

test('resolveValue fills attributes and secrets; bindAttributes keeps secrets as parts', () => {
  const value: Template = { parts: [text('postgres://u:'), { kind: 'secret', name: 'PW' }, text('@'), attr('db', 'host.address'), text(':'), attr('db', 'port.5432')] };
  const attributes = { db: { 'host.address': '10.0.0.5', 'port.5432': '32768' } };
  assert.deepEqual(resolveValue(value, attributes, { PW: 's3cret' }), { ok: true, text: 'postgres://u:s3cret@10.0.0.5:32768' });
  assert.deepEqual(resolveValue(value, {}), { ok: false, missing: ['secret:PW', 'db.host.address', 'db.port.5432'] });
  assert.deepEqual(bindAttributes(value, attributes), { parts: [text('postgres://u:'), { kind: 'secret', name: 'PW' }, text('@10.0.0.5:32768')] });
  assert.equal(templateText(value), 'postgres://u:${secret:PW}@${db.host.address}:${db.port.5432}');
  assert.equal(templateText({ parts: [text('a ${b}')] }), 'a $${b}');
});
