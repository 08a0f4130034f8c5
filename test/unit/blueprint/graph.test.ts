// Dependency graph: start order from dependsOn, references, links and DNS; cycles printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOrder } from '../../../domain/blueprint/dependencyGraph';
import { summary } from '../../../domain/blueprint/summary';
import { errorsOf, load, yaml } from './helpers';

test('start order is layers: dependsOn, references and links all count', () => {
  const bp = load(yaml(`
    name: app
    services:
      - { id: lb, image: i, env: { BACKEND: "\${web.host.address}" } }
      - { id: web, image: i, links: { db: db }, dependsOn: [cache] }
      - { id: cache, image: i }
      - { id: db, image: i }
      - { id: batch, image: i, env: { DB: '$brooklyn:component("db").attributeWhenReady("host.address")' } }
  `));
  assert.deepEqual(startOrder(bp), [['cache', 'db'], ['web', 'batch'], ['lb']]);
  assert.deepEqual(bp.services.map((s) => s.dependsOn), [['web'], ['cache', 'db'], [], [], ['db']]);
});

test('services on a network wait for the service that is its DNS server', () => {
  const bp = load(yaml(`
    name: app
    networks: [{ id: net, dnsServers: ['$brooklyn:entity("dns").attributeWhenReady("host.address")'] }]
    services:
      - { id: db, image: i, networks: [net] }
      - { id: dns, image: i, networks: [net] }
  `));
  assert.deepEqual(startOrder(bp), [['dns'], ['db']]);
});

test('a cycle is an error that prints the cycle, whatever made its edges', () => {
  const text = yaml(`
    name: app
    services:
      - { id: a, image: i, dependsOn: [b] }
      - { id: b, image: i, env: { X: "\${c.host.address}" } }
      - { id: c, image: i, links: { x: a } }
      - { id: d, image: i, dependsOn: [e] }
      - { id: e, image: i, dependsOn: [d] }
  `);
  assert.deepEqual(errorsOf(text), [
    'app.yaml:3:11: error: services[0].id: dependency cycle: a → b → c → a',
    'app.yaml:6:11: error: services[3].id: dependency cycle: d → e → d',
  ]);
});

test('a cycle through a network DNS server is found too', () => {
  const text = yaml(`
    name: app
    networks: [{ id: net, dnsServers: ["\${dns.host.address}"] }]
    services:
      - { id: dns, image: i, env: { DB: "\${db.host.address}" } }
      - { id: db, image: i, networks: [net] }
  `);
  assert.deepEqual(errorsOf(text), ['app.yaml:4:11: error: services[0].id: dependency cycle: dns → db → dns']);
});

test('summary: services, containers, networks, start order', () => {
  const bp = load(yaml(`
    name: shop
    networks: [{ id: back }]
    services:
      - { id: db, image: i }
      - { id: cache, image: i }
      - { id: web, image: i, count: 3, dependsOn: [db, cache] }
  `));
  assert.equal(summary(bp), 'shop: 3 services, 5 containers, 2 networks; start order: db, cache → web');
});
