// The Web UI's words: static summaries, current details, activity summaries, replacement
// counting, message descriptions (domain/console/, workflows/messages.ts HELP).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as messages from '../../workflows/messages';
import { activitySummary } from '../../domain/console/activitySummary';
import { applicationDetails, hostDetails, infrastructureDetails, monitorDetails, serviceDetails } from '../../domain/console/currentDetails';
import { capBytes, cell, summaryLine } from '../../domain/console/markdown';
import { replacementsBetween } from '../../domain/console/replacements';
import { applicationStaticDetails, applicationSummary, hostSummary, infrastructureSummary, monitorSummary, serviceStaticDetails, serviceSummary } from '../../domain/console/staticSummary';
import type { AppView, ServiceView } from '../../domain/application/status';
import type { InfraView } from '../../domain/infra/statusView';
import type { Blueprint, ServiceSpec } from '../../domain/blueprint/model';

const spec = (id: string, count: number, min = count, max = count, dependsOn: string[] = []) =>
  ({ id, image: `clocker/${id}:1`, count, size: { min, max, initial: count }, dependsOn }) as unknown as ServiceSpec;
const blueprint = {
  name: 'shop',
  location: 'lab',
  services: [spec('db', 1), spec('web', 3, 1, 5, ['db']), spec('lb', 1, 1, 1, ['web'])],
  networks: [],
  secrets: [],
  source: { file: 'shop.yaml', format: 'native' },
} as unknown as Blueprint;

const member = (m: string, hostId: string, state: string, extra: object = {}) => ({
  member: m,
  hostId,
  hostAddress: '10.0.0.2',
  containerName: `shop.web.${m}`,
  state,
  generation: 1,
  ports: [{ containerPort: 80, hostPort: 0, boundHostPort: 32768, protocol: 'tcp' }],
  ...extra,
});
const web = {
  id: 'web',
  status: 'RUNNING',
  desired: 3,
  generation: 1,
  hostEndpoints: {},
  members: [member('1', 'h1', 'RUNNING'), member('2', 'h2', 'RUNNING'), member('3', 'h2', 'FAILED', { error: 'exited 1 | oops\nbad' })],
  lastEvent: 'member 3 on h2 died (exit 1): replaced by member 4 on h1 (replacement 1 of 3 in the window)',
} as unknown as ServiceView;

describe('static summaries', () => {
  test('an application, a service, an infrastructure, a host, a monitor', () => {
    assert.equal(applicationSummary(blueprint), 'application shop: 3 services on infrastructure lab');
    assert.equal(serviceSummary({ app: 'shop', infrastructure: 'lab', spec: spec('web', 3, 1, 5) }), 'service shop/web: 3 (1..5) × clocker/web:1 on infrastructure lab');
    assert.equal(serviceSummary({ app: 'shop', infrastructure: 'lab', spec: spec('db', 1) }), 'service shop/db: 1 × clocker/db:1 on infrastructure lab');
    assert.equal(infrastructureSummary({ name: 'local', hosts: [{ id: 'local', address: '127.0.0.1' }] }), 'infrastructure local: 1 host');
    assert.equal(
      infrastructureSummary({ name: 'lab', hosts: [], provision: { hosts: [{ id: 'h1', address: 'a' }, { id: 'h2', address: 'b' }], spares: [{ id: 'h3' }] } }),
      'infrastructure lab: 2 hosts over SSH, 1 spare',
    );
    assert.equal(hostSummary('lab', { id: 'h2', address: '192.0.2.12' }), 'host h2 (192.0.2.12) of infrastructure lab');
    assert.equal(monitorSummary('lab', 'h2'), "monitor of host h2's members in infrastructure lab");
  });

  test('details list the services and say how to resize', () => {
    const details = applicationStaticDetails(blueprint);
    assert.match(details, /\| web \| `clocker\/web:1` \| 3 \(1\.\.5\) \| db \|/);
    assert.match(serviceStaticDetails({ app: 'shop', infrastructure: 'lab', spec: spec('web', 3, 1, 5) }), /`resize` and input `\{"size": n\}`/);
    assert.match(serviceStaticDetails({ app: 'shop', infrastructure: 'lab', spec: spec('db', 1) }), /fixed at 1 \(count: N cannot be resized\)/);
  });

  test('a summary stays one line within 200 bytes', () => {
    const long = summaryLine(`application ${'é'.repeat(300)}\nmore`);
    assert.ok(new TextEncoder().encode(long).length <= 200);
    assert.ok(!long.includes('\n'));
    assert.ok(long.endsWith('…'));
  });
});

describe('current details', () => {
  test('an application: status line, services, members, last events', () => {
    const view = { name: 'shop', location: 'lab', status: 'DEGRADED', version: 2, services: [web], error: 'web: 2 of 3 members running' } as unknown as AppView;
    const text = applicationDetails(view);
    assert.equal(text.split('\n')[0], '**DEGRADED** · application shop on infrastructure lab · version 2');
    assert.match(text, /Problem: web: 2 of 3 members running/);
    assert.match(text, /\| web \| RUNNING \| 2 of 3 \| 10\.0\.0\.2:32768 10\.0\.0\.2:32768 10\.0\.0\.2:32768 \|  \|/);
    // A member's error stays in its cell: pipes escaped, one line.
    assert.match(text, /\| web \| 3 \| h2 \| FAILED \| 32768→80 \| exited 1 \\\| oops bad \|/);
    assert.match(text, /\*\*Last events\*\*\n\n- web: member 3 on h2 died/);
  });

  test('a service', () => {
    const text = serviceDetails('shop', web);
    assert.equal(text.split('\n')[0], '**RUNNING** · service shop/web · 2 of 3 running · generation 1');
    assert.match(text, /\| 1 \| h1 \| RUNNING \| 32768→80 \|  \|/);
    assert.match(text, /- member 3 on h2 died/);
  });

  test('many members are counted by state instead of listed', () => {
    const many = { ...web, members: Array.from({ length: 40 }, (_, i) => member(String(i), 'h1', i < 35 ? 'RUNNING' : 'FAILED')) } as unknown as ServiceView;
    assert.match(serviceDetails('shop', many), /Members: 35 RUNNING, 5 FAILED/);
  });

  test('an infrastructure, a host, a monitor', () => {
    const infra = {
      name: 'lab',
      hosts: [
        { id: 'h1', address: '10.0.0.1', status: 'AVAILABLE', capacity: { maxContainers: 10 }, reserved: { containers: 2 }, reservations: [{ app: 'shop', service: 'web' }, { app: 'shop', service: 'db' }] },
        { id: 'h2', address: '10.0.0.2', status: 'FAILED', capacity: { maxContainers: 10 }, reserved: { containers: 0 }, reservations: [], problem: 'no answer' },
      ],
      bookings: [{}, {}],
      subnets: [],
      pools: [],
      spares: [{ id: 'h3', address: '10.0.0.3' }],
    } as unknown as InfraView;
    const text = infrastructureDetails(infra);
    assert.equal(text.split('\n')[0], '**1 host available** of 2 · infrastructure lab · 2 members placed · 0 subnets');
    assert.match(text, /\| h1 \| 10\.0\.0\.1 \| AVAILABLE \| 2 of 10 \| shop\/web, shop\/db \|  \|/);
    assert.match(text, /Spares: h3 \(10\.0\.0\.3\)/);
    assert.match(hostDetails({ infrastructure: 'lab', hostId: 'h1', phase: 'PROVISIONING', step: 'docker', consecutiveFailures: 0 }), /^\*\*PROVISIONING\*\* · host h1 of infrastructure lab\n\n- provisioning step: docker/);
    assert.match(monitorDetails({ infrastructure: 'lab', hostId: 'h1', reported: 3, watches: 2, lastOutcome: 'rotated' }), /- member events passed on to services: 3\n- watches: 2 \(the last ended: rotated\)/);
  });

  test('details are cut to the Web UI limit', () => {
    const cut = capBytes(`line\n${'x'.repeat(30_000)}`, 20_000);
    assert.ok(new TextEncoder().encode(cut).length <= 20_000);
    assert.match(cut, /cut: too long for the Web UI/);
    assert.equal(cell('a|b\nc'), 'a\\|b c');
  });
});

describe('activity summaries', () => {
  const endpoint = { kind: 'tcp', host: '10.0.0.12', port: 2376 };
  const ref = { app: 'shop', service: 'web', member: '3' };
  test('a member created on the host it was placed on, or on its engine', () => {
    assert.equal(activitySummary('ensureContainer', [{ endpoint, ref }], () => 'h2 (10.0.0.12)'), 'create shop.web.3 on h2 (10.0.0.12)');
    assert.equal(activitySummary('ensureContainer', [{ endpoint, ref }]), 'create shop.web.3 on 10.0.0.12');
    assert.equal(activitySummary('removeContainer', [{ endpoint: { kind: 'socket', socketPath: '/var/run/docker.sock' }, ref }]), 'remove shop.web.3 on the local engine');
  });
  test('placement, health, networks, provisioning', () => {
    assert.equal(
      activitySummary('placeMembers', [{ infrastructure: 'lab', app: 'shop', service: 'web', members: ['3', '4'], avoidHosts: ['h2'] }]),
      'place shop.web members 3, 4 on infrastructure lab, not on h2',
    );
    assert.equal(activitySummary('waitHealthy', [{ containerName: 'shop.web.3', hostAddress: '10.0.0.12' }]), 'wait until shop.web.3 is healthy on 10.0.0.12');
    assert.equal(activitySummary('ensureNetwork', [{ endpoint, app: 'shop', network: { id: 'back' } }]), 'make network shop.back on 10.0.0.12');
    assert.equal(activitySummary('connectHost', [{ infrastructure: 'lab', host: { id: 'h2', address: '192.0.2.12' } }]), 'connect to host h2 (192.0.2.12) over SSH');
    assert.equal(activitySummary('ensureInfraCertificates', ['lab']), 'ensure the certificate authority of infrastructure lab');
  });
  test('an unknown activity, or an odd input, gets no summary and no error', () => {
    assert.equal(activitySummary('somethingNew', [{}]), undefined);
    assert.equal(typeof activitySummary('placeMembers', [null]), 'string');
    assert.equal(typeof activitySummary('runInMember', []), 'string');
  });
});

describe('replacements counted from the service\'s events', () => {
  test('the failure chain and a host failure', () => {
    assert.equal(replacementsBetween(undefined, web.lastEvent), 1);
    assert.equal(replacementsBetween(web.lastEvent, web.lastEvent), 0, 'the same event is counted once');
    assert.equal(replacementsBetween(undefined, 'host h2 failed (rack power): replaced members 1, 2 with 4, 5'), 2);
    assert.equal(replacementsBetween(undefined, 'host h2 is draining (host draining): replaced member 1 with 4; shop.web.1 on h2 was not removed: x'), 1);
    assert.equal(replacementsBetween(undefined, 'host h2 failed (x): could not replace 1: no room'), 0);
    assert.equal(replacementsBetween(undefined, 'member 1 on h1 died: restarted in place (1 of 3 in the window)'), 0);
  });
});

describe('message descriptions', () => {
  const definitions = Object.entries(messages).filter(
    ([, v]) => typeof v === 'object' && v !== null && ['signal', 'query', 'update'].includes((v as { type?: string }).type ?? ''),
  );
  test('every signal, query and Update in messages.ts has one, and no other', () => {
    assert.ok(definitions.length > 30);
    assert.deepEqual(definitions.map(([k]) => k).filter((k) => !(k in messages.HELP)), [], 'definitions without a description');
    assert.deepEqual(Object.keys(messages.HELP).filter((k) => !definitions.some(([d]) => d === k)), [], 'descriptions of nothing');
  });
  test("what Clocker sends itself is marked internal; what a person sends shows its JSON", () => {
    for (const k of ['upgradeSignal', 'serviceHostFailedSignal', 'serviceHostDrainingSignal', 'reconfiguredSignal', 'dependentsSyncedSignal', 'memberEventSignal', 'placeContainersUpdate', 'serviceReportSignal']) {
      assert.match(messages.HELP[k as keyof typeof messages.HELP], /^internal: /, k);
    }
    for (const k of ['destroySignal', 'stopSignal', 'serviceResizeSignal', 'resizeServiceUpdate', 'appStatusQuery', 'resizeSignal']) {
      assert.doesNotMatch(messages.HELP[k as keyof typeof messages.HELP], /^internal/, k);
    }
    assert.match(messages.HELP.serviceResizeSignal, /\{"size": 5\}/);
    assert.match(messages.HELP.serviceScaleSignal, /\{"by": 2\}/);
    assert.match(messages.HELP.resizeSignal, /\{"hosts": 4\}/);
  });
});
