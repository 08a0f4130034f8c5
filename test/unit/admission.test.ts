// Admission: the dry run of the scheduler over a whole application, and the preflight's
// answers turned into positioned problems.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explicitRegistry } from '../../activities/preflight/imagePresence';
import { missingSecrets } from '../../activities/preflight/secretsPresent';
import { createSecretStore } from '../../activities/secrets/secretStore';
import { admissionRequests, dryRunPlacement } from '../../domain/application/admission';
import {
  hostCheckRequests,
  hostProblems,
  placementProblems,
  portClashes,
  relativeBindProblems,
  secretProblems,
  type AdmissionAnswer,
} from '../../domain/application/preflightProblems';
import { blueprint, serviceSpec } from '../support/specs';
import { booked, host } from './placement/fixtures';

const hosts = (n: number, maxContainers: number) => Array.from({ length: n }, (_, i) => host(`h${i + 1}`, { capacity: { cpus: 8, memoryBytes: 2 ** 34, maxContainers } }));
const tcp = (id: string) => ({ id, address: `192.0.2.${id.slice(1)}`, docker: { kind: 'tcp' as const, host: id, port: 2375 } });

test('requests follow the start order, members from 1, a fixed host port implying one member per host', () => {
  const bp = blueprint('shop', [
    serviceSpec({ id: 'web', image: 'web:1', count: 2, dependsOn: ['db'], ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }] }),
    serviceSpec({ id: 'db', image: 'db:1' }),
    serviceSpec({ id: 'idle', image: 'x:1', count: 0 }),
  ]);
  assert.deepEqual(admissionRequests(bp), [
    { app: 'shop', service: 'db', members: ['1'] },
    { app: 'shop', service: 'web', members: ['1', '2'], constraints: { maxPerHost: 1 } },
  ]);
  assert.deepEqual(admissionRequests(bp, ['web']).map((r) => r.service), ['web']);
});

test('150 one-member services on 100 containers: the first 100 fit, each of the other 50 is named with the reason', () => {
  const bp = blueprint('big', Array.from({ length: 150 }, (_, i) => serviceSpec({ id: `s${String(i + 1).padStart(3, '0')}`, image: 'x:1' })));
  const result = dryRunPlacement(hosts(10, 10), admissionRequests(bp), 'seed');
  assert.equal(result.filter((r) => r.ok).length, 100);
  const refused = result.filter((r) => !r.ok);
  assert.equal(refused.length, 50);
  assert.deepEqual(refused[0], { service: 's101', ok: false, reason: 'no host fits member 1 of big/s101 (placed 0 of 1): 10 hosts: 10 over maxContainers=10' });
  const answer: AdmissionAnswer = { services: result, hosts: [], hostCount: 10 };
  const problems = placementProblems(bp, answer);
  assert.equal(problems.length, 50);
  assert.deepEqual(problems[0], {
    code: 'placement.infeasible',
    path: ['services', 100],
    message: 'does not fit (the application needs 150 members in all): no host fits member 1 of big/s101 (placed 0 of 1): 10 hosts: 10 over maxContainers=10',
  });
});

test('a service that does not fit books nothing, so a later, smaller one still may', () => {
  const bp = blueprint('app', [serviceSpec({ id: 'a', image: 'x:1', count: 3 }), serviceSpec({ id: 'b', image: 'x:1', count: 2 })]);
  const result = dryRunPlacement(hosts(1, 2), admissionRequests(bp), 'seed');
  assert.deepEqual(result.map((r) => r.ok), [false, true]);
});

test('the dry run counts what other applications already hold, and never changes the hosts it is given', () => {
  const given = [host('h1', { capacity: { cpus: 8, memoryBytes: 2 ** 34, maxContainers: 2 }, reservations: booked('other', 'db', 2) })];
  const before = JSON.stringify(given);
  const result = dryRunPlacement(given, admissionRequests(blueprint('app', [serviceSpec({ id: 'web', image: 'x:1' })])), 'seed');
  assert.equal(result[0]?.ok, false);
  assert.equal(JSON.stringify(given), before);
});

test('property: the dry run admits exactly when the total fits, for one-member services on equal hosts', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 40 }), (n, max, services) => {
      const bp = blueprint('p', Array.from({ length: services }, (_, i) => serviceSpec({ id: `s${i}`, image: 'x:1' })));
      const result = dryRunPlacement(hosts(n, max), admissionRequests(bp), 'seed');
      const fits = result.filter((r) => r.ok).length;
      assert.equal(fits, Math.min(services, n * max));
      // Never more members on a host than it takes.
      const perHost = new Map<string, number>();
      for (const r of result) if (r.ok) for (const h of r.hosts) perHost.set(h, (perHost.get(h) ?? 0) + 1);
      for (const count of perHost.values()) assert.ok(count <= max);
    }),
  );
});

test('a fixed host port with more members than hosts is infeasible, with the scheduler saying why', () => {
  const bp = blueprint('app', [serviceSpec({ id: 'web', image: 'x:1', count: 3, ports: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }] })]);
  const result = dryRunPlacement(hosts(2, 10), admissionRequests(bp), 'seed');
  assert.deepEqual(result, [{ service: 'web', ok: false, reason: 'no host fits member 3 of app/web (placed 2 of 3): 2 hosts: 2 at maxPerHost=1' }]);
});

test('a missing secret is named at every env entry that uses it, never with a value', () => {
  const secret = (name: string) => ({ parts: [{ kind: 'secret' as const, name }] });
  const bp = blueprint('app', [
    serviceSpec({ id: 'db', image: 'db:1', envTemplates: { PASSWORD: secret('db-pass') } }),
    serviceSpec({ id: 'web', image: 'web:1', envTemplates: { DB_PASSWORD: secret('db-pass'), TOKEN: secret('token') } }),
  ]);
  assert.deepEqual(secretProblems(bp, ['db-pass']), [
    { code: 'secret.missing', path: ['services', 0, 'env', 'PASSWORD'], message: 'secret "db-pass" is not in the worker\'s secret store (CLOCKER_SECRET_DB_PASS or the secrets folder)' },
    { code: 'secret.missing', path: ['services', 1, 'env', 'DB_PASSWORD'], message: 'secret "db-pass" is not in the worker\'s secret store (CLOCKER_SECRET_DB_PASS or the secrets folder)' },
  ]);
});

test("hosts are asked only about what their members need; their answers land at the service's image and port", () => {
  const bp = blueprint('app', [
    serviceSpec({ id: 'web', image: 'web:1', count: 2, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }, { containerPort: 443, hostPort: 8443, protocol: 'tcp' }] }),
    serviceSpec({ id: 'api', image: 'api:1', build: { context: 'api' } }),
  ]);
  const answer: AdmissionAnswer = { services: [{ service: 'web', ok: true, hosts: ['h1', 'h2'] }, { service: 'api', ok: true, hosts: ['h2'] }], hosts: [tcp('h1'), tcp('h2')], hostCount: 3 };
  assert.deepEqual(hostCheckRequests(bp, answer), [
    { hostId: 'h1', address: '192.0.2.1', docker: tcp('h1').docker, images: ['web:1'], ports: [{ port: 8443, protocol: 'tcp' }] },
    { hostId: 'h2', address: '192.0.2.2', docker: tcp('h2').docker, images: ['web:1'], ports: [{ port: 8443, protocol: 'tcp' }] },
  ]);
  const problems = hostProblems(bp, answer, [
    { hostId: 'h1', images: [], ports: [{ port: 8443, protocol: 'tcp', holder: 'container blog.web.1 of application "blog"' }] },
    { hostId: 'h2', images: [{ image: 'web:1', problem: 'not on host h2 and registry r.example did not answer for it (timeout)' }], ports: [] },
  ]);
  assert.deepEqual(problems, [
    { code: 'port.taken', path: ['services', 0, 'ports', 1], message: 'host port 8443/tcp on host h1 is held by container blog.web.1 of application "blog"' },
    { code: 'image.unavailable', path: ['services', 0, 'image'], message: 'image web:1: not on host h2 and registry r.example did not answer for it (timeout)' },
  ]);
  assert.deepEqual(hostProblems(bp, answer, [{ hostId: 'h2', unreachable: 'connect ECONNREFUSED', images: [], ports: [] }]).map((p) => `${p.code} ${p.path.join('.')}`), [
    'host.unreachable services.0',
    'host.unreachable services.1',
  ]);
});

test('two services of the application publishing one fixed port on one host clash', () => {
  const port = { containerPort: 80, hostPort: 8080, protocol: 'tcp' as const };
  const bp = blueprint('app', [serviceSpec({ id: 'a', image: 'x:1', ports: [port] }), serviceSpec({ id: 'b', image: 'x:1', ports: [port] })]);
  const answer: AdmissionAnswer = { services: [{ service: 'a', ok: true, hosts: ['h1'] }, { service: 'b', ok: true, hosts: ['h1'] }], hosts: [tcp('h1')], hostCount: 1 };
  assert.deepEqual(portClashes(bp, answer), [{ code: 'port.clash', path: ['services', 1, 'ports', 0], message: 'host port 8080/tcp on host h1 is also published by service a of this application' }]);
});

test('a bind mount relative to the blueprint is refused unless the infrastructure is the one local host', () => {
  const bp = blueprint('app', [serviceSpec({ id: 'a', image: 'x:1', volumes: [{ type: 'bind', source: '/home/me/app/data', target: '/data', readOnly: false, fromFile: true }] })]);
  const local = { id: 'local', address: '127.0.0.1', docker: { kind: 'socket' as const, socketPath: '/var/run/docker.sock' } };
  assert.deepEqual(relativeBindProblems(bp, { services: [], hosts: [local], hostCount: 1 }), []);
  assert.deepEqual(relativeBindProblems(bp, { services: [], hosts: [tcp('h1')], hostCount: 2 }).map((p) => p.path), [['services', 0, 'volumes', 0]]);
});

test('only an image naming its registry host is asked about (a Docker Hub name never is)', () => {
  assert.equal(explicitRegistry('clocker/busybox:1'), undefined);
  assert.equal(explicitRegistry('busybox'), undefined);
  assert.equal(explicitRegistry('localhost/app:1'), 'localhost');
  assert.equal(explicitRegistry('127.0.0.1:5000/app:1'), '127.0.0.1:5000');
  assert.equal(explicitRegistry('registry.example/team/app@sha256:abc'), 'registry.example');
});

test("the secret check answers only the names the worker's store lacks", () => {
  const store = createSecretStore({ CLOCKER_SECRET_DB_PASS: 'hunter2', CLOCKER_SECRETS_DIR: '/nonexistent-clocker-secrets' });
  assert.deepEqual(missingSecrets(store, ['db-pass', 'api-key']), ['api-key']);
});
