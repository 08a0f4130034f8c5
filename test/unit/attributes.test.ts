import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindServiceEnv, resolveDnsServers, serviceAttributes } from '../../domain/application/attributes';
import type { ServiceView } from '../../domain/application/status';
import { serviceSpec } from '../support/specs';

const view: ServiceView = {
  id: 'db',
  status: 'RUNNING',
  desired: 2,
  hostEndpoints: {},
  generation: 1,
  members: [
    { member: '1', hostId: 'h1', hostAddress: '10.0.0.1', containerName: 'a.db.1', state: 'FAILED', ports: [], generation: 1 },
    {
      member: '2',
      hostId: 'h2',
      hostAddress: '10.0.0.2',
      containerName: 'a.db.2',
      state: 'RUNNING',
      generation: 1,
      ports: [
        { containerPort: 5432, hostPort: 0, protocol: 'tcp', boundHostPort: 32768 },
        { containerPort: 9000, protocol: 'tcp' },
      ],
      networks: { backend: '10.66.1.3' },
    },
  ],
};

test('a service publishes its first running member: host, published ports, network addresses', () => {
  assert.deepEqual(serviceAttributes(view), {
    'service.isUp': 'true',
    'host.address': '10.0.0.2',
    'host.name': 'h2',
    'container.name': 'a.db.2',
    'port.5432': '32768',
    'ip.backend': '10.66.1.3',
    'members.5432': '10.0.0.2:32768',
    'members.ip.backend': '10.66.1.3',
    'members.backend.5432': '10.66.1.3:5432',
    'members.backend.9000': '10.66.1.3:9000',
  });
});

test('member lists cover every running member, for balancers', () => {
  const member = (id: string, host: string, ip: string, port: number) => ({
    member: id,
    hostId: host,
    hostAddress: `10.0.0.${id}`,
    containerName: `a.web.${id}`,
    state: 'RUNNING' as const,
    generation: 1,
    ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' as const, boundHostPort: port }],
    networks: { front: ip },
  });
  const web: ServiceView = { ...view, id: 'web', members: [member('1', 'h1', '10.9.0.2', 30001), member('2', 'h2', '10.9.0.3', 30002)] };
  const attributes = serviceAttributes(web);
  assert.equal(attributes['members.8080'], '10.0.0.1:30001,10.0.0.2:30002');
  assert.equal(attributes['members.ip.front'], '10.9.0.2,10.9.0.3');
  assert.equal(attributes['members.front.8080'], '10.9.0.2:8080,10.9.0.3:8080');
});

test('a service with no running member is not up and publishes nothing else', () => {
  assert.deepEqual(serviceAttributes({ ...view, status: 'FAILED', members: [] }), { 'service.isUp': 'false' });
});

test('binding fills attributes and keeps secrets as references', () => {
  const spec = serviceSpec({
    id: 'web',
    image: 'w',
    envTemplates: {
      URL: { parts: [{ kind: 'text', text: 'pg://' }, { kind: 'attribute', service: 'db', attribute: 'host.address' }, { kind: 'text', text: ':' }, { kind: 'attribute', service: 'db', attribute: 'port.5432' }] },
      PASSWORD: { parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] },
    },
  });
  const bound = bindServiceEnv(spec, { db: serviceAttributes(view) });
  assert.deepEqual(bound, {
    ok: true,
    env: { URL: { parts: [{ kind: 'text', text: 'pg://10.0.0.2:32768' }] }, PASSWORD: { parts: [{ kind: 'secret', name: 'DB_PASSWORD' }] } },
  });
});

test('an attribute nobody published is reported with the variable it was for', () => {
  const spec = serviceSpec({ id: 'web', image: 'w', envTemplates: { URL: { parts: [{ kind: 'attribute', service: 'db', attribute: 'port.80' }] } } });
  assert.deepEqual(bindServiceEnv(spec, { db: serviceAttributes(view) }), { ok: false, missing: ['URL: ${db.port.80}'] });
});

test("a network's DNS servers resolve from what their services published", () => {
  const net = { id: 'db-net', driver: 'bridge' as const, shared: false, addIptablesRules: true, labels: {} };
  const dnsServers = [{ parts: [{ kind: 'attribute' as const, service: 'bind', attribute: 'host.address' }] }, { parts: [{ kind: 'text' as const, text: '10.0.0.53' }] }];
  assert.deepEqual(resolveDnsServers([{ ...net, dnsServers }], { bind: { 'host.address': '10.0.0.7' } }), { ok: true, dns: ['10.0.0.7', '10.0.0.53'] });
  assert.deepEqual(resolveDnsServers([{ ...net, dnsServers }], {}), { ok: false, missing: ['networks db-net dnsServers[0]'] });
});

test('a port bound to loopback is offered to no other host; one bound to an address is at that address', () => {
  const bound: ServiceView = {
    ...view,
    members: [1, 2].map((n) => ({
      member: String(n),
      hostId: `h${n}`,
      hostAddress: `10.0.0.${n}`,
      containerName: `a.result.${n}`,
      state: 'RUNNING' as const,
      generation: 1,
      ports: [
        { containerPort: 80, hostPort: 8081, protocol: 'tcp' as const, boundHostPort: 8081 },
        { containerPort: 9229, hostPort: 9229, hostIp: '127.0.0.1', protocol: 'tcp' as const, boundHostPort: 9229 },
        { containerPort: 443, hostPort: 0, hostIp: `192.168.1.${n}`, protocol: 'tcp' as const, boundHostPort: 32000 + n },
        { containerPort: 8080, hostPort: 8080, hostIp: '0.0.0.0', protocol: 'tcp' as const, boundHostPort: 8080 },
      ],
    })),
  };
  const attributes = serviceAttributes(bound);
  assert.equal(attributes['members.80'], '10.0.0.1:8081,10.0.0.2:8081');
  assert.equal('members.9229' in attributes, false);
  assert.equal(attributes['members.443'], '192.168.1.1:32001,192.168.1.2:32002');
  assert.equal(attributes['members.8080'], '10.0.0.1:8080,10.0.0.2:8080');
  // The port itself is still published (on the member's own host).
  assert.equal(attributes['port.9229'], '9229');
});
