// Every application gets a default network (as Compose gives each project one); Docker links
// become names on the network both services share, and their variables point at the target's
// address there with its container port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkEnvironment } from '../../../domain/blueprint/build/linkEnvironment';
import { load, yaml } from './helpers';

const DEFAULT = { id: 'default', dnsServers: [], shared: false, addIptablesRules: false, labels: {} };

test('services that name no network join the default network, which is added after the declared ones', () => {
  const bp = load(yaml(`
    name: shop
    networks: [{ id: backend }]
    services:
      - { id: db, image: clocker/busybox:1, networks: [backend] }
      - { id: web, image: clocker/busybox:1 }
      - { id: cache, image: clocker/busybox:1 }
  `));
  assert.deepEqual(bp.networks.map((n) => n.id), ['backend', 'default']);
  assert.deepEqual(bp.networks[1], DEFAULT);
  assert.deepEqual(bp.services.map((s) => s.networks.map((a) => a.network)), [['backend'], ['default'], ['default']]);
});

test('no default network when every service names its networks', () => {
  const bp = load(yaml(`
    name: shop
    networks: [{ id: backend }, { id: front }]
    services:
      - { id: db, image: clocker/busybox:1, networks: [backend] }
      - { id: web, image: clocker/busybox:1, networks: [backend, front] }
  `));
  assert.deepEqual(bp.networks.map((n) => n.id), ['backend', 'front']);
});

test('a declared network called default is the one services without networks join', () => {
  const bp = load(yaml(`
    name: shop
    networks: [{ id: default, cidr: 10.9.0.0/24 }]
    services:
      - { id: web, image: clocker/busybox:1 }
  `));
  assert.deepEqual(bp.networks.map((n) => [n.id, n.cidr]), [['default', '10.9.0.0/24']]);
  assert.deepEqual(bp.services[0]?.networks, [{ network: 'default', aliases: [] }]);
});

test('a link gives its alias to the target on the shared network, and variables with its address there and its container port', () => {
  const bp = load(yaml(`
    name: demo
    services:
      - type: docker:clocker/busybox:1
        id: store
        portBindings: { 16379: 6379 }
      - type: docker:clocker/busybox:1
        id: app
        links: { redis: $brooklyn:component("store") }
  `));
  const [store, app] = bp.services;
  assert.deepEqual(store?.networks, [{ network: 'default', aliases: ['redis'] }]);
  const text = (key: string) =>
    (app?.envTemplates[key]?.parts ?? []).map((p) => (p.kind === 'text' ? p.text : p.kind === 'attribute' ? `<${p.service}.${p.attribute}>` : '?')).join('');
  assert.equal(text('REDIS_PORT_6379_TCP'), 'tcp://<store.ip.default>:6379');
  assert.equal(text('REDIS_PORT_6379_TCP_ADDR'), '<store.ip.default>');
  assert.equal(text('REDIS_PORT_6379_TCP_PORT'), '6379', 'the container port, not the published 16379');
  assert.equal(text('REDIS_PORT_6379_TCP_PROTO'), 'tcp');
  assert.equal(text('REDIS_PORT'), 'tcp://<store.ip.default>:6379');
});

test('an alias equal to the target id is not repeated (the id is always a name)', () => {
  const bp = load(yaml(`
    name: demo
    services:
      - { type: "docker:clocker/busybox:1", id: redis, openPorts: [6379] }
      - { type: "docker:clocker/busybox:1", id: app, links: { redis: '$brooklyn:component("redis")' } }
  `));
  assert.deepEqual(bp.services[0]?.networks, [{ network: 'default', aliases: [] }]);
});

test('without a shared network, link variables fall back to where the port is published on the host', () => {
  const env = linkEnvironment('db', 'pg', [{ containerPort: 5432, hostPort: 0, protocol: 'tcp' }]);
  assert.deepEqual(env.DB_PORT_5432_TCP, {
    parts: [
      { kind: 'text', text: 'tcp://' }, { kind: 'attribute', service: 'pg', attribute: 'host.address' },
      { kind: 'text', text: ':' }, { kind: 'attribute', service: 'pg', attribute: 'port.5432' },
    ],
  });
  const shared = linkEnvironment('db', 'pg', [{ containerPort: 5432, protocol: 'udp' }], 'backend');
  assert.deepEqual(shared.DB_PORT_5432_UDP_ADDR, { parts: [{ kind: 'attribute', service: 'pg', attribute: 'ip.backend' }] });
  assert.deepEqual(shared.DB_PORT_5432_UDP_PORT, { parts: [{ kind: 'text', text: '5432' }] });
});
