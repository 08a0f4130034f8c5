// Every field of the native model: what is written, and what the loader makes of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, yaml } from './helpers';

const everyField = yaml(`
  name: shop-v2
  description: every field
  location: eu-west
  config:
    region: eu
  networks:
    - id: backend
      description: private
      cidr: 10.1.0.0/24
      gateway: 10.1.0.1
      dnsServers: [10.1.0.2, "\${dns.host.address}"]
      driver: overlay
      shared: true
      addIptablesRules: true
      labels: { team: a }
  services:
    - id: dns
      image: clocker/busybox:1
    - id: web
      description: the web tier
      image: clocker/busybox:1
      build: { context: web, dockerfile: Dockerfile.web }
      command: httpd -f -p "80"
      entrypoint: ["/bin/sh", "-c"]
      env:
        PLAIN: text
        NUMBER: 80
        FLAG: true
        REGION: \${config:region}
        ADDR: \${dns.host.address}
      ports: ["80", "8080:81", "53/udp", 9000, { containerPort: 9001, hostPort: 0, protocol: udp }]
      cluster: { initialSize: 2, minSize: 1, maxSize: 4 }
      volumes: ["/data", "cache:/cache", "/srv/www:/www:ro", { source: /etc/ssl, target: /ssl, readOnly: true }]
      networks: [backend, { network: backend, aliases: [www], ipv4Address: 10.1.0.9 }]
      links: { resolver: dns }
      labels: { tier: web, n: 1 }
      dependsOn: [dns]
      resources: { cpus: 1.5, memory: 1g }
      health: { type: http, port: 80, path: /health, expectStatus: 204, interval: 1m30s, timeout: 500ms, retries: 5, startPeriod: 2 }
      reload: { exec: [reload, "\${dns.host.address}"], timeout: 5s }
      placement:
        strategy: least-memory
        constraints: { labels: { disk: ssd }, region: eu, zone: [a, b], maxPerHost: 1, maxPerZone: 2, predicate: "cpus >= 2" }
      policies:
        autoscaler: { metric: memory, lowThreshold: 10, highThreshold: 90, minSize: 2, maxSize: 3, stabilization: 30s, period: 5s }
        restarter: { maxRestarts: 2, window: 1h }
        replacer: { failureThreshold: 4, avoidFailedHost: false }
`);

test('every native field loads into the model', () => {
  const bp = load(everyField);
  assert.equal(bp.name, 'shop-v2');
  assert.equal(bp.location, 'eu-west');
  assert.deepEqual(bp.source, { file: 'app.yaml', format: 'native' });
  assert.deepEqual(bp.networks, [
    {
      id: 'backend', cidr: '10.1.0.0/24', gateway: '10.1.0.1',
      dnsServers: [{ parts: [{ kind: 'text', text: '10.1.0.2' }] }, { parts: [{ kind: 'attribute', service: 'dns', attribute: 'host.address' }] }],
      driver: 'overlay', shared: true, addIptablesRules: true, labels: { team: 'a' },
    },
    { id: 'default', dnsServers: [], shared: false, addIptablesRules: false, labels: {} },
  ]);
  const web = bp.services[1];
  assert.ok(web);
  assert.deepEqual(web, {
    id: 'web',
    image: 'clocker/busybox:1',
    build: { context: 'web', dockerfile: 'Dockerfile.web' },
    command: ['httpd', '-f', '-p', '80'],
    entrypoint: ['/bin/sh', '-c'],
    env: { PLAIN: 'text', NUMBER: '80', FLAG: 'true', REGION: 'eu' },
    envTemplates: {
      ADDR: { parts: [{ kind: 'attribute', service: 'dns', attribute: 'host.address' }] },
    },
    ports: [
      { containerPort: 80, protocol: 'tcp' },
      { containerPort: 81, hostPort: 8080, protocol: 'tcp' },
      { containerPort: 53, protocol: 'udp' },
      { containerPort: 9000, protocol: 'tcp' },
      { containerPort: 9001, hostPort: 0, protocol: 'udp' },
    ],
    count: 2,
    size: { initial: 2, min: 1, max: 4 },
    labels: { tier: 'web', n: '1' },
    dependsOn: ['dns'],
    volumes: [
      { type: 'anonymous', target: '/data', readOnly: false },
      { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
      { type: 'bind', source: '/srv/www', target: '/www', readOnly: true },
      { type: 'bind', source: '/etc/ssl', target: '/ssl', readOnly: true },
    ],
    networks: [
      { network: 'backend', aliases: [] },
      { network: 'backend', aliases: ['www'], ipv4Address: '10.1.0.9' },
    ],
    links: [{ alias: 'resolver', service: 'dns' }],
    resources: { cpus: 1.5, memoryBytes: 1024 ** 3 },
    health: { probe: { kind: 'http', port: 80, path: '/health', expectStatus: 204 }, intervalMs: 90_000, timeoutMs: 500, retries: 5, startPeriodMs: 2000 },
    reload: { exec: [{ parts: [{ kind: 'text', text: 'reload' }] }, { parts: [{ kind: 'attribute', service: 'dns', attribute: 'host.address' }] }], timeoutMs: 5000 },
    placement: {
      strategies: ['least-memory'],
      constraints: { labels: { disk: 'ssd' }, regions: ['eu'], zones: ['a', 'b'], maxPerHost: 1, maxPerZone: 2, predicate: 'cpus >= 2' },
    },
    policies: {
      autoscaler: { metric: 'memory', lowThreshold: 10, highThreshold: 90, minSize: 2, maxSize: 3, stabilizationMs: 30_000, growAfterMs: 30_000, shrinkAfterMs: 30_000, step: 1, periodMs: 5000 },
      restarter: { maxRestarts: 2, windowMs: 3_600_000 },
      replacer: { failureThreshold: 4, avoidFailedHost: false },
    },
  });
});

test('defaults: location local, one member, tcp, empty lists and maps', () => {
  const bp = load(yaml(`
    name: app
    services:
      - id: web
        image: clocker/busybox:1
  `));
  assert.equal(bp.location, 'local');
  assert.deepEqual(bp.networks, [{ id: 'default', dnsServers: [], shared: false, addIptablesRules: false, labels: {} }]);
  assert.deepEqual(bp.secrets, []);
  assert.deepEqual(bp.services[0], {
    id: 'web', image: 'clocker/busybox:1', env: {}, envTemplates: {}, ports: [], count: 1, size: { initial: 1, min: 1, max: 1 },
    labels: {}, dependsOn: [], volumes: [], networks: [{ network: 'default', aliases: [] }], links: [], resources: {},
    placement: { strategies: [], constraints: { labels: {}, regions: [], zones: [] } }, policies: {},
  });
});

test('count gives a fixed size; a cluster without bounds neither grows nor shrinks below one', () => {
  const bp = load(yaml(`
    name: app
    services:
      - { id: a, image: clocker/busybox:1, count: 3 }
      - { id: b, image: clocker/busybox:1, cluster: { initialSize: 3 } }
      - { id: c, image: clocker/busybox:1, count: 0 }
  `));
  assert.deepEqual(bp.services.map((s) => [s.count, s.size]), [
    [3, { initial: 3, min: 3, max: 3 }],
    [3, { initial: 3, min: 1, max: 3 }],
    [0, { initial: 0, min: 0, max: 0 }],
  ]);
});

test('health probes: tcp and exec, with default timings', () => {
  const bp = load(yaml(`
    name: app
    services:
      - { id: a, image: clocker/busybox:1, health: { type: tcp, port: 6379 } }
      - { id: b, image: clocker/busybox:1, health: { type: exec, command: "nc -z localhost 80" } }
  `));
  assert.deepEqual(bp.services.map((s) => s.health), [
    { probe: { kind: 'tcp', port: 6379 }, intervalMs: 10_000, timeoutMs: 5000, retries: 3, startPeriodMs: 0 },
    { probe: { kind: 'exec', command: ['nc', '-z', 'localhost', '80'] }, intervalMs: 10_000, timeoutMs: 5000, retries: 3, startPeriodMs: 0 },
  ]);
});

test('env as a list of NAME=value; build only derives an image name; autoscaler bounds default to the cluster', () => {
  const bp = load(yaml(`
    name: Shop
    services:
      - id: Web_1
        build: ./web
        env: ["A=1", "B=x=y"]
        cluster: { initialSize: 2, minSize: 1, maxSize: 6 }
        policies: { autoscaler: { lowThreshold: 1, highThreshold: 2 } }
  `));
  const web = bp.services[0];
  assert.equal(web?.image, 'clocker-build/shop-web_1:latest');
  assert.deepEqual(web?.build, { context: './web' });
  assert.deepEqual(web?.env, { A: '1', B: 'x=y' });
  assert.deepEqual(web?.policies.autoscaler, { metric: 'cpu', lowThreshold: 1, highThreshold: 2, minSize: 1, maxSize: 6, stabilizationMs: 60_000, growAfterMs: 60_000, shrinkAfterMs: 60_000, step: 1, periodMs: 10_000 });
});

test('the model is plain JSON: it survives a round trip unchanged', () => {
  const bp = load(everyField);
  assert.deepEqual(JSON.parse(JSON.stringify(bp)), bp);
});
