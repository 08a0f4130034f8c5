// Host headroom's decision, straight: spares come in until the free share reaches the target
// (counting hosts on their way), idle hosts go back after the delay only when the pool can do
// without them, and every decision says why with the numbers it used.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideHeadroom, trackIdle, type HeadroomHost, type HeadroomSpare, type HeadroomSpec } from '../../domain/infra/headroom';
import { evaluateHeadroom, headroomSpares, KEPT_DECISIONS } from '../../domain/infra/headroomBooks';
import type { InfraState } from '../../domain/infra/model';

const spec: HeadroomSpec = { free: 0.34, releaseAfterMs: 60_000, checkMs: 30_000 };
const NOW = 1_000_000;

function host(id: string, members: number, fields: Partial<HeadroomHost> = {}): HeadroomHost {
  return { id, status: 'AVAILABLE', capacity: { containers: 3 }, used: { containers: members, cpus: 0, memoryBytes: 0 }, members, ...fields };
}
const spare = (id: string, containers = 3): HeadroomSpare => ({ id, containers });

describe('bringing spares in', () => {
  test('below the target: the first spare comes in, and the reason has the numbers', () => {
    const d = decideHeadroom(spec, [host('h1', 3)], [spare('h2'), spare('h3')], {}, NOW);
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.equal(d.reason, '0% of containers free, target 34%; bringing in h2: 50% free once they are in');
    assert.deepEqual(d.inputs, { free: 0, target: 0.34, tightest: 'containers', used: 3, capacity: 3, coming: [], spares: 2, idle: [] });
  });

  test('as many spares as it takes to reach the target, in pool order', () => {
    const d = decideHeadroom({ ...spec, free: 0.5 }, [host('h1', 3), host('h2', 3)], [spare('h3', 1), spare('h4'), spare('h5')], {}, NOW);
    // 6 used: 6/7 (h3) → 14%, 6/10 (h4) → 40%, 6/13 (h5) → 54%.
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h3', 'h4', 'h5'] });
  });

  test('not enough spares: all of them come in, and the reason says it is still short', () => {
    const d = decideHeadroom({ ...spec, free: 0.9 }, [host('h1', 3)], [spare('h2')], {}, NOW);
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.match(d.reason, /still 50% free with every spare in$/);
  });

  test('no spare left: short, and nothing to do', () => {
    const d = decideHeadroom(spec, [host('h1', 3), host('h2', 2)], [], {}, NOW);
    assert.deepEqual(d.action, { kind: 'short' });
    assert.equal(d.reason, '16.7% of containers free, target 34%; no spare left to bring in');
  });

  test('a host being provisioned counts as coming capacity: no second spare for the same shortage', () => {
    const d = decideHeadroom(spec, [host('h1', 3), host('h2', 0, { status: 'PROVISIONING' })], [spare('h3')], {}, NOW);
    assert.equal(d.action.kind, 'hold');
    assert.deepEqual(d.inputs.coming, ['h2']);
    assert.equal(d.inputs.free, 0.5);
  });

  test('FAILED and DRAINING hosts give no capacity, so a failure brings a spare in', () => {
    const d = decideHeadroom(spec, [host('h1', 2), host('h2', 0, { status: 'FAILED' }), host('h3', 0, { status: 'DRAINING' })], [spare('h4')], {}, NOW);
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h4'] });
    assert.equal(d.inputs.capacity, 3);
  });

  test('an empty pool (every host failed) is 0% free', () => {
    const d = decideHeadroom(spec, [host('h1', 0, { status: 'FAILED' })], [spare('h2')], {}, NOW);
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.equal(d.inputs.free, 0);
  });

  test('cpus count where members reserve them: the tightest dimension decides, spares guessed as the smallest known host', () => {
    const hosts = [host('h1', 1, { capacity: { containers: 10, cpus: 2 }, used: { containers: 1, cpus: 1.5, memoryBytes: 0 } })];
    const d = decideHeadroom(spec, hosts, [spare('h2', 10)], {}, NOW);
    assert.equal(d.inputs.tightest, 'cpus');
    assert.equal(d.inputs.free, 0.25);
    // With h2 taken as 2 cpus: 1.5 of 4 used → 62.5% free.
    assert.deepEqual(d.action, { kind: 'bring-in', hosts: ['h2'] });
    assert.match(d.reason, /62.5% free once they are in/);
  });

  test('cpus nobody reserves do not count', () => {
    const d = decideHeadroom(spec, [host('h1', 1, { capacity: { containers: 10, cpus: 2, memoryBytes: 1e9 } })], [spare('h2')], {}, NOW);
    assert.equal(d.inputs.tightest, 'containers');
    assert.equal(d.action.kind, 'hold');
  });
});

describe('releasing idle hosts', () => {
  test('an idle host goes back after releaseAfter, the newest first', () => {
    const idleSince = { h2: NOW - 70_000, h3: NOW - 61_000 };
    const d = decideHeadroom(spec, [host('h1', 1), host('h2', 0), host('h3', 0)], [], idleSince, NOW);
    assert.deepEqual(d.action, { kind: 'release', host: 'h3' });
    assert.equal(d.reason, '88.9% of containers free, target 34%; h3 idle for 61s (release after 60s), 83.3% free without it');
  });

  test('not before releaseAfter: hold, and say when to look again', () => {
    const d = decideHeadroom(spec, [host('h1', 1), host('h2', 0)], [], { h2: NOW - 45_000 }, NOW);
    assert.equal(d.action.kind, 'hold');
    assert.equal(d.wakeInMs, 15_000);
    assert.deepEqual(d.inputs.idle, [{ host: 'h2', forMs: 45_000 }]);
  });

  test('never below the free share: an idle host the pool needs stays', () => {
    // 2 of 6 used; without h2, 2 of 3 → 33% < 34%.
    const d = decideHeadroom(spec, [host('h1', 2), host('h2', 0)], [], { h2: NOW - 600_000 }, NOW);
    assert.equal(d.action.kind, 'hold');
    assert.match(d.reason, /kept: h2 idle, but without it 33.3% would be free/);
  });

  test('never a host with members, whatever its idle record says', () => {
    const d = decideHeadroom(spec, [host('h1', 0), host('h2', 1)], [], { h2: NOW - 600_000 }, NOW);
    assert.equal(d.action.kind, 'hold');
    assert.deepEqual(d.inputs.idle, []);
  });

  test('never the last available host', () => {
    const d = decideHeadroom(spec, [host('h1', 0), host('h2', 0, { status: 'FAILED' })], [spare('h3')], { h1: NOW - 600_000 }, NOW);
    assert.equal(d.action.kind, 'hold');
    assert.match(d.reason, /h1 is the last available host/);
  });

  test('a host on its way keeps counting: an idle one may go when the coming one keeps the share', () => {
    const d = decideHeadroom(spec, [host('h1', 1), host('h2', 0), host('h3', 0, { status: 'PROVISIONING' })], [], { h2: NOW - 600_000 }, NOW);
    assert.deepEqual(d.action, { kind: 'release', host: 'h2' });
  });

  test('only one host per decision', () => {
    const idle = { h2: NOW - 600_000, h3: NOW - 600_000, h4: NOW - 600_000 };
    const d = decideHeadroom(spec, [host('h1', 0), host('h2', 0), host('h3', 0), host('h4', 0)], [], idle, NOW);
    assert.deepEqual(d.action, { kind: 'release', host: 'h4' });
  });
});

test('trackIdle keeps the first time a host was seen idle, and forgets hosts with members or not AVAILABLE', () => {
  const hosts = [host('h1', 0), host('h2', 1), host('h3', 0, { status: 'DRAINING' }), host('h4', 0)];
  assert.deepEqual(trackIdle({ h1: 5, h2: 5, h3: 5 }, hosts, 100), { h1: 5, h4: 100 });
});

describe('evaluateHeadroom over the infrastructure state', () => {
  function state(members: number): InfraState {
    const reservations = Array.from({ length: members }, (_, i) => ({ app: 'a', service: 'web', member: String(i), cpus: 0, memoryBytes: 0 }));
    return {
      version: 1,
      hosts: [{ record: { id: 'h1', address: '10.0.0.1', docker: { kind: 'tcp', host: '10.0.0.1', port: 2376 }, status: 'AVAILABLE', labels: {}, maxContainers: 3 }, usage: { cpuPercent: 0, memoryBytes: 0 }, reservations }],
      ipam: { pools: [], subnets: {} } as unknown as InfraState['ipam'],
      machines: [
        { host: { id: 'h1', address: '10.0.0.1', port: 22, user: 'root', keyRef: '/k', labels: {}, maxContainers: 3, root: '' }, role: 'active' },
        { host: { id: 'h2', address: '10.0.0.2', port: 22, user: 'root', keyRef: '/k', labels: {}, maxContainers: 3, root: '' }, role: 'spare' },
      ],
    };
  }

  test('reads hosts and spares from the books, records what acted and each change of kind, keeps the latest', () => {
    const s = state(3);
    assert.deepEqual(evaluateHeadroom(s, spec, headroomSpares(s), 10).action, { kind: 'bring-in', hosts: ['h2'] });
    s.hosts[0]!.reservations = [];
    s.machines = [s.machines![0]!];
    evaluateHeadroom(s, spec, headroomSpares(s), 20);
    evaluateHeadroom(s, spec, headroomSpares(s), 30);
    assert.deepEqual(s.headroom?.decisions.map((r) => [r.at, r.action.kind]), [[10, 'bring-in'], [20, 'hold']]);
    assert.equal(s.headroom?.last?.at, 30);
    assert.deepEqual(s.headroom?.idleSince, { h1: 20 });
  });

  test('keeps at most KEPT_DECISIONS', () => {
    const s = state(3);
    for (let i = 0; i < KEPT_DECISIONS + 5; i++) evaluateHeadroom(s, spec, headroomSpares(s), i);
    assert.equal(s.headroom?.decisions.length, KEPT_DECISIONS);
    assert.equal(s.headroom?.decisions[0]?.at, 5);
  });
});
