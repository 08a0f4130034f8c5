import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appHealth } from '../../domain/application/appHealth';
import type { MemberState, ServiceStatus, ServiceView } from '../../domain/application/status';

function svc(id: string, status: ServiceStatus, desired: number, states: MemberState[] = [], error?: string): ServiceView {
  const members = states.map((state, i) => ({ member: String(i + 1), hostId: 'h1', hostAddress: '192.0.2.1', containerName: `a.${id}.${i + 1}`, state, generation: 1, ports: [] }));
  return { id, status, desired, members, hostEndpoints: {}, generation: 1, ...(error ? { error } : {}) };
}

test('an application is RUNNING only when every service runs every member it wants', () => {
  assert.deepEqual(appHealth([svc('db', 'RUNNING', 1, ['RUNNING']), svc('web', 'RUNNING', 2, ['RUNNING', 'RUNNING'])]), { status: 'RUNNING', problems: [] });
});

test('a service short of members, or one failed beside running ones, makes it DEGRADED, naming them', () => {
  assert.deepEqual(appHealth([svc('db', 'RUNNING', 1, ['RUNNING']), svc('web', 'RUNNING', 3, ['RUNNING'])]), {
    status: 'DEGRADED',
    problems: ['web: 1 of 3 members running'],
  });
  assert.deepEqual(appHealth([svc('db', 'RUNNING', 1, ['RUNNING']), svc('web', 'FAILED', 2, [], 'port taken')]), {
    status: 'DEGRADED',
    problems: ['web: port taken'],
  });
  assert.deepEqual(appHealth([svc('db', 'RUNNING', 1, ['RUNNING']), svc('web', 'STOPPED', 1, ['STOPPED'])]), { status: 'DEGRADED', problems: ['web: stopped'] });
});

test('every service stopped is STOPPED; nothing up is FAILED', () => {
  assert.deepEqual(appHealth([svc('web', 'STOPPED', 1, ['STOPPED'])]), { status: 'STOPPED', problems: [] });
  assert.deepEqual(appHealth([svc('db', 'FAILED', 1, [], 'no image'), svc('web', 'PENDING', 1)]), { status: 'FAILED', problems: ['db: no image', 'web: not started'] });
  // A service that says RUNNING with no member running is not up (the old `start` did that).
  assert.equal(appHealth([svc('web', 'RUNNING', 1, [])]).status, 'FAILED');
});

test('services still moving count as up: their operation reports its own outcome', () => {
  assert.deepEqual(appHealth([svc('web', 'UPDATING', 3, ['RUNNING'])]), { status: 'RUNNING', problems: [] });
});
