// Blueprints written for Clocker 1.x, and the seed's VirtualNetwork spec, load as written;
// what cannot run here is an error naming the type and its position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { loadBlueprint } from '../../../domain/blueprint/load';
import type { Blueprint } from '../../../domain/blueprint/model';
import { byonLocation, byonSpecArguments, expandBraces } from '../../../domain/blueprint/normalize/byonHosts';
import { loadInfraDefinition } from '../../../domain/infraSpec/load';
import { errorsOf, example, load, warningsOf, yaml } from './helpers';

test("the seed's network spec loads as written", () => {
  const bp = load(example('network-seed.yaml'));
  assert.equal(bp.source.format, 'clocker1');
  assert.deepEqual(bp.networks, [
    {
      id: 'database-net', cidr: '192.168.34.0/24', gateway: '192.168.34.1',
      dnsServers: [{ parts: [{ kind: 'attribute', service: 'bind-server', attribute: 'host.address' }] }],
      addIptablesRules: true, shared: false, labels: {},
    },
    // bind-server names no network: it joins the application's default one.
    { id: 'default', dnsServers: [], shared: false, addIptablesRules: false, labels: {} },
  ]);
  assert.deepEqual(bp.services.map((s) => s.id), ['bind-server', 'db']);
  // db is on database-net, whose DNS server is bind-server's address: it starts after bind-server.
  assert.deepEqual(bp.services.map((s) => [s.id, s.dependsOn]), [['bind-server', []], ['db', ['bind-server']]]);
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
      - enricherType: org.apache.brooklyn.policy.ha.ServiceFailureDetector
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
    'app.yaml:3:19: error: ["brooklyn.enrichers"][0].enricherType: Brooklyn enricher "org.apache.brooklyn.policy.ha.ServiceFailureDetector" cannot run here: services publish host.address, port.<n> and ip.<network> themselves',
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

// ---------------------------------------------------------------------------------------
// The corpus (test/fixtures/clocker1): blueprints in the shapes Clocker 1.2.0 shipped.
// Container blueprints load with exactly these warnings; location blueprints are refused
// with exactly this pointer to `clocker infra create`, naming their hosts.

const corpusDir = join(__dirname, '..', '..', 'fixtures', 'clocker1');
const corpusFile = (name: string): string => readFileSync(join(corpusDir, name), 'utf8');

function diagnosticsOf(name: string): { ok: boolean; errors: string[]; warnings: string[] } {
  const result = loadBlueprint(corpusFile(name), name);
  return {
    ok: result.ok,
    errors: result.ok ? [] : result.errors.map((d) => formatDiagnostic(d)),
    warnings: result.warnings.map((d) => formatDiagnostic(d)),
  };
}

const containerBlueprints: Record<string, string[]> = {
  'tomcat-mysql.yaml': [],
  'wordpress-couchbase.yaml': [],
  'catalog-bom.yaml': [],
  'catalog-single-item.yaml': [],
  'catalog-legacy-metadata.yaml': [],
  'vanilla-docker.yaml': [],
  'virtual-network.yaml': [
    'virtual-network.yaml:13:23: warning: services[0]["brooklyn.enrichers"][0].enricherType: Brooklyn enricher "org.apache.brooklyn.enricher.stock.Transformer" is ignored: it only derives attributes for Brooklyn; services publish host.address, port.<n> and ip.<network> themselves',
    'virtual-network.yaml:25:15: warning: services[1]["brooklyn.enrichers"][0].type: Brooklyn enricher "brooklyn.enricher.basic.Propagator" is ignored: it only derives attributes for Brooklyn; services publish host.address, port.<n> and ip.<network> themselves',
  ],
  'service-type.yaml': [
    'service-type.yaml:7:5: warning: services[0].serviceType: "serviceType" is Brooklyn\'s old spelling of "type": read as "type"',
    'service-type.yaml:12:7: warning: services[0]["brooklyn.config"]["docker.container.strategies"]: Clocker 1.x setting "docker.container.strategies" has no equivalent here: ignored',
    'service-type.yaml:16:5: warning: services[1].serviceType: "serviceType" is Brooklyn\'s old spelling of "type": read as "type"',
    'service-type.yaml:20:7: warning: services[1]["brooklyn.config"]["docker.useSsh"]: Clocker 1.x setting "docker.useSsh" has no equivalent here: ignored',
  ],
};

const pointer = (what: string, name: string, hosts: string, file: string[]): string =>
  `${what} is an infrastructure here, not an application: write an infra file and run "clocker infra create FILE", then deploy applications with "location: ${name}"; ${hosts}. The infra file:\n${file.map((l) => `    ${l}`).join('\n')}`;

const locationBlueprints: Record<string, string[]> = {
  'docker-cloud-byon.yaml': [
    `docker-cloud-byon.yaml:9:11: error: services[0].type: ${pointer('"brooklyn.entity.container.docker.DockerInfrastructure" (a Docker cloud)', 'my-lab-cloud', 'its hosts: 10.0.0.1, 10.0.0.2, 10.0.0.3', [
      'name: my-lab-cloud', 'location:', '  byon:', '    user: ubuntu', '    key: ~/.ssh/clocker_rsa', '    hosts:',
      '      - { id: h1, address: 10.0.0.1 }', '      - { id: h2, address: 10.0.0.2 }', '      - { id: h3, address: 10.0.0.3 }',
    ])}`,
  ],
  'docker-cloud-weave.yaml': [
    `docker-cloud-weave.yaml:26:19: error: ["brooklyn.catalog"].items[1].item.services[0].type: ${pointer('"docker-infrastructure" (catalog item for brooklyn.entity.container.docker.DockerInfrastructure, a Docker cloud)', 'weave-cloud', 'its hosts: 192.168.50.11, 192.168.50.12', [
      'name: weave-cloud', 'location:', '  byon:', '    user: clocker', '    key: ~/.ssh/id_ed25519', '    hosts:',
      '      - { id: h1, address: 192.168.50.11 }', '      - { id: h2, address: 192.168.50.12, user: deploy, port: 2222 }',
    ])}`,
  ],
  'docker-host.yaml': [
    `docker-host.yaml:7:18: error: services[0].serviceType: ${pointer('"docker-host" (a Docker host)', 'docker-host', 'its hosts: 172.16.0.20, 172.16.0.21', [
      'name: docker-host', 'location:', '  byon:', '    user: root', '    key: $secret:docker-host-ssh-key', '    hosts:',
      '      - { id: h1, address: 172.16.0.20 }', '      - { id: h2, address: 172.16.0.21 }',
    ])}`,
  ],
  'docker-cloud-jclouds.yaml': [
    `docker-cloud-jclouds.yaml:7:11: error: services[0].type: ${pointer('"docker-cloud" (a Docker cloud)', 'docker-cloud-aws', 'it lists no hosts: put your machines under hosts', [
      'name: docker-cloud-aws', 'location:', '  byon:', '    key: $secret:docker-cloud-aws-ssh-key', '    hosts:', '      - { id: h1, address: ADDRESS }',
    ])}`,
  ],
  'catalog-docker-clouds.yaml': [
    `catalog-docker-clouds.yaml:26:19: error: ["brooklyn.catalog"].items[2].item.services[0].type: ${pointer('"docker-infrastructure" (catalog item for brooklyn.entity.container.docker.DockerInfrastructure, a Docker cloud)', 'office-cloud', 'its hosts: 192.168.7.30, 192.168.7.31', [
      'name: office-cloud', 'location:', '  byon:', '    user: clocker', '    key: ~/.ssh/office', '    hosts:',
      '      - { id: h1, address: 192.168.7.30 }', '      - { id: h2, address: 192.168.7.31 }',
    ])}`,
  ],
  'catalog-location.yaml': [
    `catalog-location.yaml:5:13: error: ["brooklyn.catalog"].itemType: ${pointer('catalog item "rack-one" (itemType: location)', 'rack-one', 'its hosts: 10.20.0.5, 10.20.0.6', [
      'name: rack-one', 'location:', '  byon:', '    user: ops', '    key: /etc/clocker/rack-one.pem', '    hosts:',
      '      - { id: h1, address: 10.20.0.5 }', '      - { id: h2, address: 10.20.0.6 }',
    ])}`,
  ],
};

test('every corpus file is covered by an expectation below', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort();
  assert.deepEqual(files, [...Object.keys(containerBlueprints), ...Object.keys(locationBlueprints)].sort());
  assert.ok(files.length >= 10, `${files.length} corpus files`);
});

for (const [file, warnings] of Object.entries(containerBlueprints)) {
  test(`corpus ${file}: loads with no errors and exactly its warnings`, () => {
    const d = diagnosticsOf(file);
    assert.deepEqual(d.errors, []);
    assert.equal(d.ok, true);
    assert.deepEqual(d.warnings, warnings);
  });
}

for (const [file, errors] of Object.entries(locationBlueprints)) {
  test(`corpus ${file}: refused, pointing to "clocker infra create" with its hosts`, () => {
    const d = diagnosticsOf(file);
    assert.equal(d.ok, false);
    assert.deepEqual(d.errors, errors);
  });
}

test('a catalog of Docker cloud templates: the second one gets a warning', () => {
  assert.deepEqual(diagnosticsOf('catalog-docker-clouds.yaml').warnings, [
    'catalog-docker-clouds.yaml:27:7: warning: ["brooklyn.catalog"].items[3]: catalog item "docker-cloud-overlay" is a Docker cloud too: an infrastructure here ("clocker infra create FILE"), like "docker-cloud-office"',
  ]);
});

test("1.x's VanillaDockerApplication runs the image its config names", () => {
  const [echo] = loadCorpus('vanilla-docker.yaml').services;
  assert.deepEqual([echo?.id, echo?.image, echo?.env, echo?.ports], ['echo', 'clocker/busybox:1', { ECHO_TEXT: 'echo-ok' }, [{ containerPort: 24084, hostPort: 24084, protocol: 'tcp' }]]);
});

test('the infra file a location blueprint prints is one "clocker infra create" accepts', () => {
  for (const file of Object.keys(locationBlueprints).filter((f) => f !== 'docker-cloud-jclouds.yaml')) {
    const [message] = diagnosticsOf(file).errors;
    const infraText = (message ?? '').split('The infra file:\n')[1]?.split('\n').map((l) => l.slice(4)).join('\n') ?? '';
    const loaded = loadInfraDefinition(infraText, `${file} (infra)`);
    assert.equal(loaded.ok, true, `${file}: ${loaded.ok ? '' : loaded.errors.map((e) => formatDiagnostic(e)).join('\n')}`);
  }
});

function loadCorpus(name: string): Blueprint {
  const result = loadBlueprint(corpusFile(name), name);
  if (!result.ok) assert.fail(result.errors.map((d) => formatDiagnostic(d)).join('\n'));
  return result.blueprint;
}

test('tomcat-mysql: long container keys, a port under openPorts and directPorts is one published port, Docker-style links', () => {
  const bp = loadCorpus('tomcat-mysql.yaml');
  assert.equal(bp.name, 'tomcat-mysql');
  assert.equal(bp.location, 'local');
  const [mysql, tomcat] = bp.services;
  assert.deepEqual(mysql?.ports, [{ containerPort: 3306, hostPort: 0, protocol: 'tcp' }]);
  assert.deepEqual(mysql?.command, ['sh', '-c', 'while true; do echo db-ok | nc -l -p 3306; done']);
  assert.deepEqual(mysql?.env, { MYSQL_DATABASE: 'visitors' });
  assert.deepEqual(tomcat?.ports, [{ containerPort: 24080, hostPort: 24080, protocol: 'tcp' }]);
  assert.deepEqual(tomcat?.links, [{ alias: 'db', service: 'mysql' }]);
  assert.deepEqual(tomcat?.dependsOn, ['mysql']);
  assert.deepEqual(tomcat?.envTemplates.DB_URL?.parts.filter((p) => p.kind === 'attribute'), [
    { kind: 'attribute', service: 'mysql', attribute: 'host.address' },
    { kind: 'attribute', service: 'mysql', attribute: 'port.3306' },
  ]);
  assert.ok(tomcat?.envTemplates.DB_PORT_3306_TCP_ADDR !== undefined, 'link variables for the alias "db"');
});

test('catalog-bom: the template loads, its services built on the catalog types (the use site adds to the type)', () => {
  const bp = loadCorpus('catalog-bom.yaml');
  assert.equal(bp.name, 'echo-app');
  const [store, web] = bp.services;
  assert.deepEqual([store?.id, store?.image, store?.ports], ['store', 'clocker/busybox:1', [{ containerPort: 6379, hostPort: 0, protocol: 'tcp' }]]);
  assert.deepEqual(store?.command, ['sh', '-c', 'while true; do echo store-ok | nc -l -p 6379; done']);
  // openPorts from the type, directPorts from the use site: one port, published.
  assert.deepEqual(web?.ports, [{ containerPort: 24083, hostPort: 24083, protocol: 'tcp' }]);
  assert.deepEqual(web?.env, { GREETING: 'hello' });
  assert.deepEqual(Object.keys(web?.envTemplates ?? {}).filter((k) => !k.startsWith('STORE_PORT')), ['STORE_HOST']);
  assert.deepEqual(web?.links, [{ alias: 'store', service: 'store' }]);
});

test('catalog metadata: a single item names the application by its id; the legacy form keeps the root blueprint, its parameters are config', () => {
  const single = loadCorpus('catalog-single-item.yaml');
  assert.deepEqual([single.name, single.services.map((s) => s.id)], ['hello-single', ['hello']]);
  const legacy = loadCorpus('catalog-legacy-metadata.yaml');
  assert.equal(legacy.name, 'redis-with-parameters');
  assert.deepEqual(legacy.services[0]?.env, { STORE_PORT: '6380' });
  const pair = loadCorpus('wordpress-couchbase.yaml');
  assert.equal(pair.name, 'wordpress-couchbase');
  assert.deepEqual(pair.services.map((s) => [s.id, s.count]), [['couchbase', 2], ['wordpress', 1]]);
  assert.deepEqual(pair.services[1]?.links, [{ alias: 'cache', service: 'couchbase' }]);
  assert.deepEqual(pair.services[1]?.env, { COUCHBASE_BUCKET: 'wordpress' });
  assert.deepEqual(pair.services[1]?.ports, [{ containerPort: 24081, hostPort: 24081, protocol: 'tcp' }]);
});

test('serviceType is read as type; a launch latch on another service is a dependency', () => {
  const bp = loadCorpus('service-type.yaml');
  assert.deepEqual(bp.services.map((s) => [s.id, s.image, s.dependsOn]), [['queue', 'clocker/busybox:1', []], ['worker', 'clocker/busybox:1', ['queue']]]);
  assert.deepEqual(bp.services[1]?.links, [{ alias: 'queue', service: 'queue' }]);
  assert.deepEqual(errorsOf(yaml(`
    name: app
    services:
      - { id: web, type: docker:clocker/busybox:1, serviceType: docker:clocker/busybox:1 }
  `)), ['app.yaml:3:48: error: services[0].serviceType: "serviceType" and "type" are both set: "serviceType" is the old spelling of "type", keep one']);
});

test('the VirtualNetwork with enrichers attached is still the network', () => {
  const bp = loadCorpus('virtual-network.yaml');
  assert.deepEqual(bp.networks.map((n) => [n.id, n.cidr, n.gateway]), [['shop-net', '192.168.42.0/24', '192.168.42.1']]);
  assert.deepEqual(bp.services.map((s) => s.networks.map((n) => n.network)), [['shop-net'], ['shop-net']]);
});

test('ports: the published one wins and keeps its position; exact repeats go; different host ports stay (and are reported)', () => {
  const text = yaml(`
    name: app
    services:
      - type: docker:clocker/busybox:1
        id: web
        openPorts: [80, 443, 70000]
        directPorts: [443, 70000]
        portBindings: { "8080": 80 }
  `);
  // [443, 70000, 80]: the entries on "any free port" went; the error points at directPorts.
  assert.deepEqual(errorsOf(text), [
    'app.yaml:6:24: error: services[0].ports[1].containerPort: must be at most 65535, got 70000',
    'app.yaml:6:24: error: services[0].ports[1].hostPort: must be at most 65535, got 70000',
  ]);
  const ok = load(text.replace(', 70000]', ']').replace(', 70000]', ']'));
  assert.deepEqual(ok.services[0]?.ports, [
    { containerPort: 443, hostPort: 443, protocol: 'tcp' },
    { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
  ]);
  assert.deepEqual(errorsOf(yaml(`
    name: app
    services:
      - { type: docker:clocker/busybox:1, id: web, directPorts: [80], portBindings: { "8080": 80 } }
  `)), ['app.yaml:3:91: error: services[0].ports[1]: port 80/tcp is listed twice']);
});

test(`links: Docker's list ("service:alias", "service"), $brooklyn:component in a list, and the map`, () => {
  const bp = load(yaml(`
    name: app
    services:
      - { type: docker:clocker/busybox:1, id: db }
      - { type: docker:clocker/busybox:1, id: cache }
      - type: docker:clocker/busybox:1
        id: web
        links: ["db:database", cache]
      - type: docker:clocker/busybox:1
        id: worker
        brooklyn.config:
          links: ['$brooklyn:component("db")']
  `));
  assert.deepEqual(bp.services[2]?.links, [{ alias: 'database', service: 'db' }, { alias: 'cache', service: 'cache' }]);
  assert.deepEqual(bp.services[3]?.links, [{ alias: 'db', service: 'db' }]);
});

test('catalogs: several applications, none, references to other catalogs, a location beside an application', () => {
  assert.deepEqual(errorsOf(yaml(`
    brooklyn.catalog:
      items:
        - { id: one, itemType: template, item: { services: [{ type: docker:clocker/busybox:1, id: a }] } }
        - { id: two, item: { services: [{ type: docker:clocker/busybox:1, id: b }] } }
  `)), ['app.yaml:2:3: error: ["brooklyn.catalog"]: the catalog holds 2 applications (one, two): deploy one at a time, as a blueprint of its own']);
  assert.deepEqual(errorsOf(yaml(`
    brooklyn.catalog:
      items:
        - { id: web, item: { type: docker:clocker/busybox:1 } }
  `)), ['app.yaml:2:3: error: ["brooklyn.catalog"]: the catalog holds no application, only entity types (web): write a blueprint with services that use them (services: [{type: ID}])']);
  const mixed = yaml(`
    brooklyn.catalog:
      items:
        - classpath://io.example:more/catalog.bom
        - id: lab
          itemType: location
          item: byon:(hosts="10.1.0.1")
        - id: app
          itemType: template
          item:
            services:
              - { type: web-typo, id: w }
        - { id: web-type, item: { type: docker:clocker/busybox:1 } }
  `);
  assert.deepEqual(errorsOf(mixed), ['app.yaml:11:21: error: ["brooklyn.catalog"].items[2].item.services[0].type: unknown service type "web-typo" (did you mean "web-type"?): write docker:IMAGE[:TAG], or a service with "image"']);
  const warnings = warningsOf(mixed.replace('web-typo', 'web-type'));
  assert.equal(warnings.length, 2);
  assert.equal(warnings[0], 'app.yaml:3:7: warning: ["brooklyn.catalog"].items[0]: catalog entry "classpath://io.example:more/catalog.bom" refers to another catalog: it is not loaded here');
  assert.match(warnings[1] ?? '', /^app\.yaml:5:17: warning: \["brooklyn\.catalog"\]\.items\[1\]\.itemType: not loaded with the catalog's application: catalog item "lab" \(itemType: location\) is an infrastructure here.*its hosts: 10\.1\.0\.1\./);
  assert.equal(load(mixed.replace('web-typo', 'web-type')).name, 'app');
});

test('an application on machines, a cloud or localhost: pointed to an infrastructure, or the local one', () => {
  const app = (location: string): string => yaml(`
    name: app
    location: ${location}
    services: [{ type: docker:clocker/busybox:1, id: web }]
  `);
  const [byon] = errorsOf(app('byon:(hosts="10.9.0.{1,2}",user=me,password=x)'));
  assert.equal(byon, `app.yaml:2:11: error: location: ${pointer('a byon location (a list of machines)', 'my-docker-cloud', 'its hosts: 10.9.0.1, 10.9.0.2', [
    'name: my-docker-cloud', 'location:', '  byon:', '    user: me', '    key: $secret:my-docker-cloud-ssh-key   # passwords are not carried over: give a key', '    hosts:',
    '      - { id: h1, address: 10.9.0.1 }', '      - { id: h2, address: 10.9.0.2 }',
  ])}`);
  assert.deepEqual(errorsOf(app('jclouds:aws-ec2:eu-west-1')), [
    'app.yaml:2:11: error: location: location "jclouds:aws-ec2:eu-west-1" is a cloud: here applications deploy onto an infrastructure; create one with "clocker infra create FILE" (byon hosts) and give its name',
  ]);
  assert.deepEqual(errorsOf(app('{ "jclouds:aws-ec2:eu-west-1": { hardwareId: m1.small } }')), [
    'app.yaml:2:11: error: location: location "jclouds:aws-ec2:eu-west-1" is a cloud: here applications deploy onto an infrastructure; create one with "clocker infra create FILE" (byon hosts) and give its name',
  ]);
  assert.equal(load(app('localhost')).location, 'local');
  assert.deepEqual(warningsOf(app('localhost')), ['app.yaml:2:11: warning: location: "localhost" is this machine: its Docker engine is the built-in "local" infrastructure']);
});

test('byon host lists: spec strings with quotes and ranges, users and ports, maps with ssh addresses', () => {
  assert.deepEqual(byonSpecArguments('byon:(hosts="a,b", user=me ,privateKeyFile=~/k)'), { hosts: 'a,b', user: 'me', privateKeyFile: '~/k' });
  assert.equal(byonSpecArguments('jclouds:aws-ec2'), undefined);
  assert.deepEqual(expandBraces('10.0.{1,2}.{8-9}'), ['10.0.1.8', '10.0.1.9', '10.0.2.8', '10.0.2.9']);
  assert.deepEqual(byonLocation('byon(hosts="u@10.0.0.{1-2}:2200,10.0.0.9")'), {
    hosts: [{ address: '10.0.0.1', user: 'u', port: 2200 }, { address: '10.0.0.2', user: 'u', port: 2200 }, { address: '10.0.0.9' }],
    password: false,
  });
  assert.deepEqual(byonLocation({ byon: { user: 'x', hosts: [{ ssh: 'root@h1.example:22' }, 'h2.example'] } }), {
    hosts: [{ address: 'h1.example', user: 'root', port: 22 }, { address: 'h2.example' }], user: 'x', password: false,
  });
  assert.equal(byonLocation({ 'my-cloud': {} }), undefined);
});

test("a native blueprint using another dialect's key gets its name", () => {
  assert.deepEqual(errorsOf(yaml(`
    name: app
    services:
      - { id: web, image: clocker/busybox:1, environment: { A: "1" } }
  `)), ['app.yaml:3:42: error: services[0].environment: unknown field "environment" (did you mean "env"?)']);
});

test('a Docker cloud on localhost is the built-in local infrastructure; a misspelt long container key is an error, an unknown one a warning', () => {
  assert.deepEqual(errorsOf(yaml(`
    id: docker-localhost
    location: localhost
    services:
      - type: brooklyn.entity.container.docker.DockerInfrastructure
  `)), [
    'app.yaml:4:11: error: services[0].type: "brooklyn.entity.container.docker.DockerInfrastructure" (a Docker cloud) on localhost is this machine\'s Docker engine: here that is the built-in "local" infrastructure, nothing to create; deploy applications with "location: local"',
  ]);
  const text = yaml(`
    name: app
    services:
      - type: docker:clocker/busybox:1
        id: web
        brooklyn.config:
          docker.container.openPort: [80]
          docker.container.nameFormat: "web-%d"
  `);
  assert.deepEqual(errorsOf(text), ['app.yaml:6:7: error: services[0]["brooklyn.config"]["docker.container.openPort"]: unknown field "docker.container.openPort" (did you mean "docker.container.openPorts"?)']);
  assert.deepEqual(warningsOf(text.replace('openPort:', 'openPorts:')), [
    'app.yaml:7:7: warning: services[0]["brooklyn.config"]["docker.container.nameFormat"]: Clocker 1.x setting "docker.container.nameFormat" has no equivalent here: ignored',
  ]);
});
