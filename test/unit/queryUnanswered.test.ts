// Which failed status queries `waitFor` asks again: only those no worker answered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '@temporalio/client';
import { queryUnanswered } from '../../client/queryUnanswered';

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

test('a query the server gave up on, or cut short when its worker died, is asked again', () => {
  assert.equal(queryUnanswered(new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'deadline exceeded') })), true);
  assert.equal(queryUnanswered(new ServiceError('Failed to query Workflow', { cause: grpcError(1, 'context canceled') })), true);
});

test('any other failure is not: a missing workflow, a refused query, a bare error', () => {
  assert.equal(queryUnanswered(new ServiceError('Failed to query Workflow', { cause: grpcError(5, 'workflow not found') })), false);
  assert.equal(queryUnanswered(new ServiceError('Failed to query Workflow', { cause: grpcError(3, 'invalid argument') })), false);
  assert.equal(queryUnanswered(new ServiceError('Failed to query Workflow')), false);
  assert.equal(queryUnanswered(grpcError(4, 'deadline exceeded')), false);
});
