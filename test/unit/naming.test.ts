import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerName, isMember, memberIds, memberLabels, workflowIds } from '../../domain/naming';

const ref = { app: 'shop', service: 'web', member: '2' };

test('a container name derives only from (app, service, member)', () => {
  assert.equal(containerName(ref), 'shop.web.2');
});

test('member labels identify the member exactly', () => {
  assert.deepEqual(memberLabels(ref), {
    'io.clocker.managed': 'true',
    'io.clocker.app': 'shop',
    'io.clocker.service': 'web',
    'io.clocker.member': '2',
  });
  assert.equal(isMember(memberLabels(ref), ref), true);
  assert.equal(isMember({ ...memberLabels(ref), 'io.clocker.member': '3' }, ref), false);
  assert.equal(isMember({}, ref), false);
  assert.equal(isMember(undefined, ref), false);
});

test("a member's infrastructure is labelled when known, and not asked for when adopting", () => {
  const labels = memberLabels(ref, 'rack-a');
  assert.equal(labels['io.clocker.infrastructure'], 'rack-a');
  assert.equal(isMember(labels, ref), true, 'a container of this release is the member');
  assert.equal(isMember(memberLabels(ref), ref), true, 'so is one of an earlier release, without the label');
  assert.equal('io.clocker.infrastructure' in memberLabels(ref), false);
});

test('workflow ids follow the design', () => {
  assert.equal(workflowIds.infrastructure('local'), 'clocker/infra/local');
  assert.equal(workflowIds.application('shop'), 'clocker/app/shop');
  assert.equal(workflowIds.service('shop', 'web'), 'clocker/app/shop/svc/web');
});

test('member ids are consecutive integers', () => {
  assert.deepEqual(memberIds(1, 3), ['1', '2', '3']);
  assert.deepEqual(memberIds(4, 0), []);
});
