// The failure chain's decisions: restart in place within the window, then replace (avoiding
// the failed host), then ON_FIRE, which holds until cleared; plus the monitor's translation of
// engine events and inventories into member events.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { appHealth } from '../../domain/application/appHealth';
import { avoidingHosts } from '../../domain/application/memberPlacement';
import {
  DEFAULT_REPLACER,
  DEFAULT_RESTARTER,
  decideRecovery,
  emptyBooks,
  recoveryPolicy,
  type MemberFailure,
  type RecoveryBooks,
  type RecoveryPolicy,
} from '../../domain/application/memberRecovery';
import type { ServiceView } from '../../domain/application/status';
import { inventoryFindings, JsonLines, memberEventOf } from '../../activities/monitoring/memberSignals';

const policy = (maxRestarts: number, windowMs: number, failureThreshold: number, avoidFailedHost = true): RecoveryPolicy => ({
  restarter: { maxRestarts, windowMs },
  replacer: { failureThreshold, avoidFailedHost },
});
const failure = (member: string, at: number, hostId = 'h1'): MemberFailure => ({ member, hostId, kind: 'die', at, detail: 'killed (exit 137)' });

/** Runs failures through the chain, answering each decision's action (and the books at the end). */
function run(p: RecoveryPolicy, failures: MemberFailure[], books: RecoveryBooks = emptyBooks()) {
  const actions: string[] = [];
  for (const f of failures) {
    const out = decideRecovery(books, p, f);
    books = out.books;
    actions.push(out.decision.action);
  }
  return { actions, books };
}

describe('the failure chain', () => {
  test('a service that declares no policy gets the default chain; declared parts win', () => {
    assert.deepEqual(recoveryPolicy({}), { restarter: DEFAULT_RESTARTER, replacer: DEFAULT_REPLACER });
    assert.deepEqual(recoveryPolicy(undefined), { restarter: { maxRestarts: 3, windowMs: 300_000 }, replacer: { failureThreshold: 3, avoidFailedHost: true } });
    assert.deepEqual(recoveryPolicy({ restarter: { maxRestarts: 1, windowMs: 1000 } }).replacer, DEFAULT_REPLACER);
  });

  const table: { name: string; p: RecoveryPolicy; failures: MemberFailure[]; actions: string[] }[] = [
    { name: 'one death: restarted in place', p: policy(3, 60_000, 3), failures: [failure('1', 0)], actions: ['restart'] },
    {
      name: 'restarts run out within the window: replaced',
      p: policy(2, 60_000, 3),
      failures: [failure('1', 0), failure('1', 1000), failure('1', 2000)],
      actions: ['restart', 'restart', 'replace'],
    },
    {
      name: 'restarts spread wider than the window never run out',
      p: policy(2, 60_000, 3),
      failures: [failure('1', 0), failure('1', 40_000), failure('1', 80_000), failure('1', 120_000), failure('1', 160_000)],
      actions: ['restart', 'restart', 'restart', 'restart', 'restart'],
    },
    {
      name: 'each member has its own restarts',
      p: policy(1, 60_000, 3),
      failures: [failure('1', 0), failure('2', 10), failure('1', 20), failure('2', 30)],
      actions: ['restart', 'restart', 'replace', 'replace'],
    },
    {
      name: 'past the replacement budget the service goes ON_FIRE and then holds',
      p: policy(0, 60_000, 2),
      failures: [failure('1', 0), failure('2', 10), failure('3', 20), failure('4', 30), failure('5', 40)],
      actions: ['replace', 'replace', 'onFire', 'hold', 'hold'],
    },
    {
      name: 'maxRestarts 0 replaces at once',
      p: policy(0, 60_000, 3),
      failures: [failure('1', 0)],
      actions: ['replace'],
    },
    {
      name: 'a replacement that failed to start skips the restarter',
      p: policy(3, 60_000, 3),
      failures: [{ ...failure('4', 0), kind: 'replacement failed' }],
      actions: ['replace'],
    },
  ];
  for (const row of table) {
    test(row.name, () => assert.deepEqual(run(row.p, row.failures).actions, row.actions));
  }

  test('a replacement avoids the failed host unless the policy allows it, and counts toward the budget', () => {
    const books: RecoveryBooks = { restarts: { '1': [0, 1, 2] }, replacements: [] };
    const out = decideRecovery(books, policy(3, 60_000, 3), failure('1', 10, 'h2'));
    assert.deepEqual(out.decision, { action: 'replace', member: '1', avoidHosts: ['h2'], replacement: 1, of: 3 });
    assert.deepEqual(out.books, { restarts: {}, replacements: [10] });
    const anywhere = decideRecovery(books, policy(3, 60_000, 3, false), failure('1', 10, 'h2'));
    assert.deepEqual(anywhere.decision.action === 'replace' && anywhere.decision.avoidHosts, []);
  });

  test('ON_FIRE says why', () => {
    const { books } = run(policy(1, 300_000, 1), [failure('1', 0), failure('1', 1), failure('2', 2), failure('2', 3)]);
    assert.match(books.onFire?.reason ?? '', /^member 2 failed again \(killed \(exit 137\)\) after 1 restart and 1 replacement within 5 min/);
  });

  const failures = fc.array(fc.record({ member: fc.constantFrom('1', '2', '3'), gap: fc.integer({ min: 0, max: 20_000 }), host: fc.constantFrom('h1', 'h2') }), { maxLength: 60 });
  const policies = fc.record({ maxRestarts: fc.integer({ min: 0, max: 5 }), windowMs: fc.integer({ min: 1_000, max: 120_000 }), failureThreshold: fc.integer({ min: 1, max: 4 }) });

  test('property: never more restarts of a member than maxRestarts within any window', () => {
    fc.assert(
      fc.property(policies, failures, (pp, fs) => {
        const p = policy(pp.maxRestarts, pp.windowMs, pp.failureThreshold);
        let books = emptyBooks();
        let at = 0;
        const restarts: Record<string, number[]> = {};
        for (const f of fs) {
          at += f.gap;
          const out = decideRecovery(books, p, failure(f.member, at, f.host));
          books = out.books;
          if (out.decision.action === 'restart') (restarts[f.member] ??= []).push(at);
          // A replaced member is a new one: its restarts count afresh (as in the workflow, which gives it a new id).
          if (out.decision.action === 'replace') delete restarts[f.member];
        }
        for (const times of Object.values(restarts)) {
          for (const t of times) assert.ok(times.filter((u) => u > t - p.restarter.windowMs && u <= t).length <= p.restarter.maxRestarts);
        }
      }),
    );
  });

  test('property: once ON_FIRE, every failure is held (no restart, no replacement) until the books are cleared', () => {
    fc.assert(
      fc.property(policies, failures, (pp, fs) => {
        const p = policy(pp.maxRestarts, pp.windowMs, pp.failureThreshold);
        let books = emptyBooks();
        let at = 0;
        let fired = false;
        for (const f of fs) {
          at += f.gap;
          const out = decideRecovery(books, p, failure(f.member, at, f.host));
          books = out.books;
          if (fired) assert.equal(out.decision.action, 'hold');
          if (out.decision.action === 'onFire') fired = true;
          assert.equal(books.onFire !== undefined, fired);
        }
      }),
    );
  });

  test('property: replacements within any window never exceed failureThreshold', () => {
    fc.assert(
      fc.property(policies, failures, (pp, fs) => {
        const p = policy(pp.maxRestarts, pp.windowMs, pp.failureThreshold);
        let books = emptyBooks();
        let at = 0;
        const replaced: number[] = [];
        for (const f of fs) {
          at += f.gap;
          const out = decideRecovery(books, p, failure(f.member, at, f.host));
          books = out.books;
          if (out.decision.action === 'replace') replaced.push(at);
        }
        for (const t of replaced) assert.ok(replaced.filter((u) => u > t - p.restarter.windowMs && u <= t).length <= p.replacer.failureThreshold);
      }),
    );
  });

  test('an ON_FIRE service is a problem the application names, DEGRADED while members still run', () => {
    const member = (state: 'RUNNING' | 'FAILED', n: string) => ({ member: n, hostId: 'h1', hostAddress: '192.0.2.1', containerName: `a.web.${n}`, state, generation: 1, ports: [] });
    const web: ServiceView = { id: 'web', status: 'ON_FIRE', desired: 2, members: [member('RUNNING', '1'), member('FAILED', '2')], hostEndpoints: {}, generation: 1, error: 'member 2 failed again' };
    assert.deepEqual(appHealth([web]), { status: 'DEGRADED', problems: ['web: on fire: member 2 failed again'] });
    assert.equal(appHealth([{ ...web, members: [member('FAILED', '2')] }]).status, 'FAILED');
  });

  test('a placement that avoids hosts adds them to the predicate', () => {
    const base = { strategies: [], constraints: { labels: {}, regions: [], zones: [] } };
    assert.equal(avoidingHosts(base, []), base);
    assert.equal(avoidingHosts(base, ['h1']).constraints.predicate, 'id != "h1"');
    assert.equal(avoidingHosts({ ...base, constraints: { ...base.constraints, predicate: 'cpus > 2' } }, ['h1', 'h2']).constraints.predicate, '(cpus > 2) and id != "h1" and id != "h2"');
  });
});

describe('what the monitor reads from an engine', () => {
  const labels = { 'io.clocker.managed': 'true', 'io.clocker.app': 'shop', 'io.clocker.service': 'web', 'io.clocker.member': '3' };

  test('die, oom, destroy and unhealthy are member events; other actions and foreign containers are not', () => {
    const die = memberEventOf({ Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { ...labels, exitCode: '137' } }, timeNano: 1_700_000_000_123_000_000 });
    assert.deepEqual(die, { ref: { app: 'shop', service: 'web', member: '3' }, event: { member: '3', event: 'die', at: '2023-11-14T22:13:20.123Z', exitCode: 137, containerId: 'abc' } });
    assert.equal(memberEventOf({ Type: 'container', Action: 'destroy', Actor: { ID: 'abc', Attributes: labels }, time: 1 })?.event.event, 'destroy');
    assert.equal(memberEventOf({ Type: 'container', Action: 'health_status: unhealthy', Actor: { ID: 'abc', Attributes: labels }, time: 1 })?.event.event, 'unhealthy');
    assert.equal(memberEventOf({ Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'abc', Attributes: labels }, time: 1 }), undefined);
    assert.equal(memberEventOf({ Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: labels }, time: 1 }), undefined);
    assert.equal(memberEventOf({ Type: 'container', Action: 'die', Actor: { ID: 'x', Attributes: { exitCode: '1' } }, time: 1 }), undefined);
    assert.equal(memberEventOf({ Type: 'network', Action: 'destroy', Actor: { ID: 'n', Attributes: labels }, time: 1 }), undefined);
  });

  test('the inventory names booked members that are missing, exited, or unhealthy', () => {
    const row = (member: string, State: string, Status: string) => ({ Id: `id${member}`, State, Status, Labels: { ...labels, 'io.clocker.member': member } });
    const booked = ['1', '2', '3', '4', '5'].map((member) => ({ app: 'shop', service: 'web', member }));
    const found = inventoryFindings(booked, [row('1', 'running', 'Up 3 minutes'), row('2', 'exited', 'Exited (3) 5 seconds ago'), row('4', 'running', 'Up 1 minute (unhealthy)'), row('5', 'created', 'Created')], 'now');
    assert.deepEqual(
      found.map((f) => `${f.ref.member} ${f.event.event} ${f.event.exitCode ?? ''}`.trim()),
      ['2 exited 3', '3 missing', '4 unhealthy'],
    );
  });

  test('engine events arrive in chunks that split lines', () => {
    const lines = new JsonLines();
    assert.deepEqual(lines.push('{"a":1}\n{"b"'), [{ a: 1 }]);
    assert.deepEqual(lines.push(':2}\n'), [{ b: 2 }]);
    assert.deepEqual(lines.push('oops\n'), []);
    assert.equal(lines.unparsed, 1);
  });
});
