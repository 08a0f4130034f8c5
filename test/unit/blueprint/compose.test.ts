// Compose import: what translates, and one warning per key that cannot be honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importCompose } from '../../../domain/blueprint/compose/importCompose';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { isComposeText, loadBlueprintOrCompose } from '../../../domain/blueprint/loadAny';
import { example, yaml } from './helpers';

test('the example Compose file becomes a blueprint', () => {
  const result = importCompose(example('docker-compose.yaml'), 'examples/docker-compose.yaml');
  assert.ok(result.ok, result.ok ? '' : result.errors.map((d) => formatDiagnostic(d)).join('\n'));
  const bp = result.blueprint;
  assert.equal(bp.name, 'compose-shop');
  assert.equal(bp.source.format, 'compose');
  assert.deepEqual(bp.networks, [{ id: 'back', cidr: '10.77.0.0/24', gateway: '10.77.0.1', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} }]);
  const [db, web] = bp.services;
  assert.deepEqual(db?.command, ['sh', '-c', 'while true; do echo ok | nc -l -p 5432; done']);
  assert.deepEqual(db?.volumes, [{ type: 'volume', source: 'db-data', target: '/var/lib/data', readOnly: false }]);
  assert.deepEqual(db?.health, { probe: { kind: 'exec', command: ['sh', '-c', 'netstat -ltn | grep -q :5432'] }, intervalMs: 10_000, timeoutMs: 3000, retries: 5, startPeriodMs: 0 });
  assert.deepEqual(web?.env, { DB_HOST: 'db' });
  assert.deepEqual(web?.ports, [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }]);
  assert.deepEqual(web?.dependsOn, ['db']);
  assert.deepEqual(web?.networks, [{ network: 'back', aliases: ['app'] }]);
  assert.equal(web?.count, 2);
  assert.deepEqual(web?.resources, { cpus: 0.5, memoryBytes: 128 * 1024 ** 2 });
  assert.deepEqual(web?.placement.constraints.labels, { zone: 'eu' });
  assert.deepEqual(web?.policies.restarter, { maxRestarts: 3, windowMs: 300_000 });
  assert.deepEqual(result.warnings, []);
});

test('every key that cannot be honoured is one warning naming it, at its position', () => {
  const text = yaml(`
    version: "3.8"
    services:
      web:
        image: clocker/busybox:1
        privileged: true
        ports: ["127.0.0.1:8080:80", { target: 81, published: "8081", mode: host }]
        environment: { HOME_DIR: "\${HOME}", EMPTY: null }
        volumes: ["./data:/data", "logs:/logs"]
        depends_on: { db: { condition: service_completed_successfully } }
        deploy: { replicas: 2, placement: { constraints: ["node.role==manager"] }, update_config: { parallelism: 2, delay: 10s } }
      db:
        image: clocker/busybox:1
    networks:
      front: { driver: macvlan }
    secrets:
      pw: { file: ./pw }
  `);
  const result = importCompose(text, 'shop/compose.yaml');
  assert.ok(result.ok);
  assert.equal(result.blueprint.name, 'shop');
  assert.deepEqual(result.blueprint.services[0]?.env, { HOME_DIR: '${HOME}' });
  assert.deepEqual(result.blueprint.services[0]?.update, { batch: 2 });
  assert.deepEqual(result.warnings.map((d) => formatDiagnostic(d)), [
    'shop/compose.yaml:1:1: warning: version: version is obsolete: ignored',
    'shop/compose.yaml:5:5: warning: services.web.privileged: "privileged" is not supported: ignored',
    'shop/compose.yaml:6:13: warning: services.web.ports[0]: ports: the host address "127.0.0.1" is not supported: the port is published on every address',
    'shop/compose.yaml:6:67: warning: services.web.ports[1].mode: ports.mode is not supported: ignored',
    'shop/compose.yaml:7:20: warning: services.web.environment.HOME_DIR: environment.HOME_DIR uses Compose variable interpolation, which is not honoured: kept literally',
    'shop/compose.yaml:7:41: warning: services.web.environment.EMPTY: environment.EMPTY has no value (taken from the shell in Compose): ignored',
    'shop/compose.yaml:8:15: warning: services.web.volumes[0]: volumes: the relative host path "./data" cannot be honoured on other hosts: volume ignored',
    'shop/compose.yaml:9:25: warning: services.web.depends_on.db.condition: depends_on.condition "service_completed_successfully" is not supported: waits for the service to be up',
    'shop/compose.yaml:10:55: warning: services.web.deploy.placement.constraints[0]: deploy.placement.constraints "node.role==manager" is not supported (only node.labels.KEY==VALUE): ignored',
    'shop/compose.yaml:10:113: warning: services.web.deploy.update_config.delay: deploy.update_config.delay is not supported: ignored',
    'shop/compose.yaml:14:12: warning: networks.front.driver: networks.driver "macvlan" is not supported: ignored',
    'shop/compose.yaml:15:1: warning: secrets: "secrets" is not supported: ignored',
  ]);
});

test('errors in the produced blueprint point into the Compose file', () => {
  const text = yaml(`
    services:
      web:
        image: clocker/busybox:1
        ports: ["80:http"]
        depends_on: [dbb]
      db:
        image: clocker/busybox:1
  `);
  const result = importCompose(text, 'compose.yaml');
  assert.equal(result.ok, false);
  assert.deepEqual(result.ok ? [] : result.errors.map((d) => formatDiagnostic(d)), [
    'compose.yaml:4:13: error: services[0].ports[0]: expected a port like "80", "8080:80" or "8080:80/udp", got "80:http"',
  ]);
  const second = importCompose(text.replace('80:http', '80:80'), 'compose.yaml');
  assert.deepEqual(second.ok ? [] : second.errors.map((d) => formatDiagnostic(d)), [
    'compose.yaml:5:18: error: services[0].dependsOn[0]: dependsOn names "dbb" is not a service of this blueprint (did you mean "db"?)',
  ]);
});

test('a Compose file is told from a blueprint by its services map', () => {
  assert.equal(isComposeText(example('docker-compose.yaml')), true);
  assert.equal(isComposeText(example('web-cluster.yaml')), false);
  assert.equal(isComposeText('services: ['), false);
  assert.equal(loadBlueprintOrCompose(example('docker-compose.yaml'), 'x.yaml').ok, true);
});
