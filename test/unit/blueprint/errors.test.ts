// Error messages, pinned verbatim with their positions: all of a file's errors at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { loadBlueprint } from '../../../domain/blueprint/load';
import { errorsOf, yaml } from './helpers';

test('YAML syntax errors carry a position', () => {
  assert.deepEqual(errorsOf('name: app\nservices:\n  - id: web\n   image: x\n'), ['app.yaml:4:1: error: Sequence item without - indicator']);
  assert.deepEqual(errorsOf('name: app\nname: b\nservices: []\n'), ['app.yaml:2:1: error: Map keys must be unique']);
});

test('a document that is not a map, or is empty', () => {
  assert.deepEqual(errorsOf('- a\n- b\n'), ['app.yaml:1:1: error: expected a map, got a list']);
  assert.deepEqual(errorsOf(''), ['app.yaml:1:1: error: expected a map, got nothing (null)']);
  assert.deepEqual(errorsOf('name: app\nservices:\n  id: web\n'), ['app.yaml:3:3: error: services: expected a list, got a map']);
  assert.deepEqual(errorsOf('name: app\nservices: []\n'), ['app.yaml:2:11: error: services: a blueprint needs at least one service']);
});

test('schema and cross-field errors of every service, all at once, in file order', () => {
  const text = yaml(`
    name: app
    services:
      - id: web
        imgae: clocker/busybox:1
        count: -1
        ports: ["99999:80", true]
        env: { A: null }
        health: { type: http }
        policies: { autoscaler: { lowThreshold: 5, highThreshold: 1 } }
      - id: web
        image: clocker/busybox:1
        dependsOn: [wbe, web]
        networks: [front]
        volumes: ["../etc:/x", "/a/../b:/y", "/ok:relative", "bad name!:/z"]
        labels: { io.clocker.app: x }
        build: ../outside
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:4:5: error: services[0].imgae: unknown field "imgae" (did you mean "image"?)',
    'app.yaml:5:12: error: services[0].count: must be at least 0, got -1',
    'app.yaml:6:13: error: services[0].ports[0]: port numbers must be between 1 and 65535, got "99999:80"',
    'app.yaml:6:25: error: services[0].ports[1]: expected a string, a number or a map, got true',
    'app.yaml:7:15: error: services[0].env.A: expected a string, a number or true/false, got nothing (null)',
    'app.yaml:8:13: error: services[0].health.port: the http probe needs "port"',
    'app.yaml:9:45: error: services[0].policies.autoscaler.lowThreshold: lowThreshold must be below highThreshold',
    'app.yaml:10:9: error: services[1].id: service id "web" is already used by service 1',
    'app.yaml:12:17: error: services[1].dependsOn[0]: dependsOn names "wbe" is not a service of this blueprint (did you mean "web"?)',
    'app.yaml:12:22: error: services[1].dependsOn[1]: dependsOn names "web" is the service itself',
    'app.yaml:13:16: error: services[1].networks[0]: network "front" is not declared under networks',
    'app.yaml:14:15: error: services[1].volumes[0]: host path "../etc" must not contain ".."',
    'app.yaml:14:28: error: services[1].volumes[1]: host path "/a/../b" must not contain ".."',
    'app.yaml:14:42: error: services[1].volumes[2]: volume target "relative" must be an absolute path in the container',
    `app.yaml:14:58: error: services[1].volumes[3]: volume name "bad name!" must start with a letter or digit, then letters, digits, '_', '.' or '-'`,
    'app.yaml:15:31: error: services[1].labels["io.clocker.app"]: label "io.clocker.app": the io.clocker.* namespace is reserved',
    `app.yaml:16:12: error: services[1].build.context: build context "../outside" must stay inside the blueprint's folder (relative, no "..")`,
  ]);
});

test('names that become container and network names follow Docker rules; ids have no dots', () => {
  const text = yaml(`
    name: "-bad"
    location: "a b"
    services:
      - { id: "web.1", image: i }
      - { id: "-x", image: i }
    networks:
      - { id: n, cidr: 10.0.0.0/33, gateway: 10.1.0.1 }
      - { id: m, cidr: 10.0.0.0/24, gateway: 10.1.0.1 }
  `);
  assert.deepEqual(errorsOf(text), [
    `app.yaml:1:7: error: name: must start with a letter or digit, then letters, digits, '_' or '-', got "-bad"`,
    `app.yaml:2:11: error: location: must start with a letter or digit, then letters, digits, '_' or '-', got "a b"`,
    `app.yaml:4:11: error: services[0].id: must not contain '.': ids are joined with '.' in container names, got "web.1"`,
    `app.yaml:5:11: error: services[1].id: must start with a letter or digit, then letters, digits, '_' or '-', got "-x"`,
    'app.yaml:7:20: error: networks[0].cidr: expected an IPv4 CIDR like "192.168.34.0/24", got "10.0.0.0/33"',
    'app.yaml:8:42: error: networks[1].gateway: gateway 10.1.0.1 is not inside 10.0.0.0/24',
  ]);
});

test('unknown values and keys get a "did you mean"', () => {
  const text = yaml(`
    name: app
    servces: []
    services:
      - id: web
        image: i
        placement: { strategy: least-cpux }
        ports: [{ containerPort: 81, protocl: udp }]
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:2:1: error: servces: unknown field "servces" (did you mean "services"?)',
    'app.yaml:6:28: error: services[0].placement.strategy: expected one of "random", "depth-first", "breadth-first", "least-cpu", "least-memory", "fewest-containers", got "least-cpux" (did you mean "least-cpu"?)',
    'app.yaml:7:34: error: services[0].ports[0].protocl: unknown field "protocl" (did you mean "protocol"?)',
  ]);
});

test('sizes, durations and byte sizes are checked', () => {
  const text = yaml(`
    name: app
    services:
      - id: web
        image: i
        count: 2
        cluster: { initialSize: 3, maxSize: 2 }
        health: { type: tcp, port: 80, interval: 5x }
        resources: { memory: lots }
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:7:46: error: services[0].health.interval: expected a duration like "10s", "1m30s" or "500ms", got "5x"',
    'app.yaml:8:26: error: services[0].resources.memory: expected a size like "512m" or "2g", got "lots"',
  ]);
  assert.deepEqual(errorsOf(text.replace(/\n.*health.*\n.*resources.*/, '')), [
    'app.yaml:5:12: error: services[0].count: count (2) and cluster.initialSize (3) disagree: give one',
    'app.yaml:6:14: error: services[0].cluster: cluster sizes must satisfy minSize ≤ initialSize ≤ maxSize, got 1 ≤ 3 ≤ 2',
  ]);
});

test('a service needs an image or a build', () => {
  assert.deepEqual(errorsOf('name: app\nservices:\n  - id: web\n'), ['app.yaml:3:5: error: services[0].image: a service needs "image" or "build"']);
});

test('formatDiagnostic prints the line and a caret when given the text', () => {
  const text = 'name: app\nservices:\n  - id: web\n    image: i\n    count: many\n';
  const result = loadBlueprint(text, 'app.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(formatDiagnostic(result.errors[0] ?? assert.fail(), text), [
    'app.yaml:5:12: error: services[0].count: expected a number, got "many"',
    '5 |     count: many',
    '               ^',
  ].join('\n'));
  assert.deepEqual(result.errors[0], {
    severity: 'error', code: 'schema.type', path: 'services[0].count', message: 'expected a number, got "many"', file: 'app.yaml', line: 5, column: 12,
  });
});
