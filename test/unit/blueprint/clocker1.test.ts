// Blueprints written for Clocker 1.x, and the seed's VirtualNetwork spec, load as written;
// what cannot run here is an error naming the type and its position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, example, load, warningsOf, yaml } from './helpers';

test("the seed's network spec loads as written", () => {
  const bp = load(example('network-seed.yaml'));
  assert.equal(bp.source.format, 'clocker1');
  assert.deepEqual(bp.networks, [
    {
      id: 'database-net', cidr: '192.168.34.0/24', gateway: '192.168.34.1',
      dnsServers: [{ parts: [{ kind: 'attribute', service: 'bind-server', attribute: 'host.address' }] }],
      addIptablesRules: true, driver: 'bridge', shared: false, labels: {},
    },
    // bind-server names no network: it joins the application's default one.
    { id: 'default', dnsServers: [], driver: 'bridge', shared: false, addIptablesRules: false, labels: {} },
  ]);
  assert.deepEqual(bp.services.map((s) => s.id), ['bind-server', 'db']);
});

test('Clocker 1.x container keys: docker: types, brooklyn.config, ports, links, volumes, image name and tag', () => {
  const bp = load(example('clocker1.yaml'));
  assert.equal(bp.name, 'clocker-redis-demo');
  assert.equal(bp.location, 'local');
  const [redis, app] = bp.services;
  assert.equal(redis?.image, 'clocker/busybox:1');
  assert.deepEqual(redis?.ports, [{ containerPort: 6379, hostPort: 6379, protocol: 'tcp' }]);
  assert.deepEqual(redis?.env, { REDIS_PORT: '6379' });
  assert.deepEqual(redis?.volumes, [{ type: 'volume', source: 'redis-data', target: '/data', readOnly: false }]);
  assert.deepEqual(app?.ports, [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }, { containerPort: 8081, hostPort: 8081, protocol: 'tcp' }]);
  assert.deepEqual(app?.links, [{ alias: 'redis', service: 'redis' }]);
  assert.deepEqual(app?.dependsOn, ['redis']);
  assert.deepEqual(app?.env, { GREETING: 'hello' });
  assert.deepEqual(Object.keys(app?.envTemplates ?? {}).sort(), [
    'REDIS_PORT', 'REDIS_PORT_6379_TCP', 'REDIS_PORT_6379_TCP_ADDR', 'REDIS_PORT_6379_TCP_PORT', 'REDIS_PORT_6379_TCP_PROTO', 'REDIS_URL',
  ]);
  assert.deepEqual(app?.envTemplates.REDIS_PORT_6379_TCP, {
    parts: [
      { kind: 'text', text: 'tcp://' }, { kind: 'attribute', service: 'redis', attribute: 'ip.default' },
      { kind: 'text', text: ':' }, { kind: 'text', text: '6379' },
    ],
  });
  // The link's alias names redis's members on the default network both services join.
  assert.deepEqual(redis?.networks, [{ network: 'default', aliases: [] }]);
  assert.deepEqual(app?.networks, [{ network: 'default', aliases: [] }]);
  assert.deepEqual(app?.envTemplates.REDIS_URL, {
    parts: [{ kind: 'text', text: 'redis://' }, { kind: 'attribute', service: 'redis', attribute: 'host.address' }, { kind: 'text', text: ':6379' }],
  });
  assert.deepEqual(warningsOf(example('clocker1.yaml')), ['app.yaml:3:7: warning: name: "Clocker Redis Demo" is not a Docker name: the application is named "clocker-redis-demo"']);
});

test('a missing id is derived from the name or the image, with a warning', () => {
  const text = yaml(`
    name: app
    location: { my-cloud: { user: x } }
    services:
      - { type: "docker:redis:7", openPorts: "6379, 6380" }
      - { type: docker:clocker/busybox:1, name: Web Front }
  `);
  const bp = load(text);
  assert.deepEqual(bp.services.map((s) => s.id), ['redis', 'web-front']);
  assert.equal(bp.location, 'my-cloud');
  assert.deepEqual(bp.services[0]?.ports.map((p) => p.containerPort), [6379, 6380]);
  assert.deepEqual(warningsOf(text), [
    'app.yaml:2:11: warning: location: location settings are ignored: "my-cloud" names an infrastructure, configured with "clocker infra"',
    'app.yaml:4:5: warning: services[0]: service has no "id": using "redis"',
    'app.yaml:5:5: warning: services[1]: service has no "id": using "web-front"',
  ]);
});

test('Java entity types, policies and enrichers are rejected, naming the type and position', () => {
  const text = yaml(`
    name: app
    brooklyn.enrichers:
      - enricherType: org.apache.brooklyn.enricher.stock.Propagator
    services:
      - type: org.apache.brooklyn.entity.webapp.jboss.JBoss7Server
      - type: docker:clocker/busybox:1
        id: web
        brooklyn.policies:
          - policyType: org.apache.brooklyn.policy.autoscaling.AutoScalerPolicy
        brooklyn.config:
          openPort: [80]
      - type: my-catalog-item
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:3:19: error: ["brooklyn.enrichers"][0].enricherType: Brooklyn enricher "org.apache.brooklyn.enricher.stock.Propagator" cannot run here: services publish host.address, port.<n> and ip.<network> themselves',
    'app.yaml:5:11: error: services[0].type: Brooklyn Java entity type "org.apache.brooklyn.entity.webapp.jboss.JBoss7Server" cannot run here: only Docker images run (type: docker:IMAGE[:TAG], or a service with "image")',
    'app.yaml:9:21: error: services[1]["brooklyn.policies"][0].policyType: Brooklyn policy "org.apache.brooklyn.policy.autoscaling.AutoScalerPolicy" cannot run here: use "policies:" (autoscaler, restarter, replacer)',
    'app.yaml:11:7: error: services[1]["brooklyn.config"].openPort: unknown field "openPort" (did you mean "openPorts"?)',
    'app.yaml:12:11: error: services[2].type: unknown service type "my-catalog-item": write docker:IMAGE[:TAG], or a service with "image"',
  ]);
});

test('errors in rebuilt fields point at what was written', () => {
  const text = yaml(`
    name: app
    services:
      - type: docker:clocker/busybox:1
        id: web
        brooklyn.config:
          openPorts: [80, abc]
          portBindings: { "8080": 99999 }
          env: { X: $brooklyn:entity("nope").attributeWhenReady("a") }
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:6:23: error: services[0].ports[1]: expected a port like "80", "8080:80" or "8080:80/udp", got "abc"',
    'app.yaml:7:31: error: services[0].ports[2].containerPort: must be at most 65535, got 99999',
  ]);
  assert.deepEqual(errorsOf(text.replace(/\n.*openPorts.*\n.*portBindings.*/, '')), [
    'app.yaml:6:17: error: services[0].env.X: reference to "nope" is not a service of this blueprint',
  ]);
});
