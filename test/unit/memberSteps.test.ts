// What the client takes from a service workflow's description: the step in each startMember's
// latest heartbeat, by member; a later attempt says which; one waiting for its turn says why
// the last one failed; other activities, and heartbeats that carry no step, are left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal as proto } from '@temporalio/proto';
import { pendingMemberSteps } from '../../client/progress/memberSteps';

const { PENDING_ACTIVITY_STATE_STARTED: STARTED, PENDING_ACTIVITY_STATE_SCHEDULED: SCHEDULED } = proto.api.enums.v1.PendingActivityState;

type Pending = proto.api.workflow.v1.IPendingActivityInfo;
const pending = (type: string, state: proto.api.enums.v1.PendingActivityState, details: unknown, extra: Partial<Pending> = {}): Pending => ({
  activityType: { name: type },
  state,
  attempt: 1,
  ...(details === undefined ? {} : { heartbeatDetails: { payloads: [defaultPayloadConverter.toPayload(details)] } }),
  ...extra,
});

/** Just what pendingMemberSteps asks of a client: one describe, and the data converter. */
function clientDescribing(pendingActivities: Pending[]): Client {
  return {
    options: { loadedDataConverter: loadDataConverter() },
    workflow: { getHandle: () => ({ describe: async () => ({ raw: { pendingActivities } }) }) },
  } as unknown as Client;
}

test('each startMember in flight gives its member its step; retries say so', async () => {
  const steps = await pendingMemberSteps(
    clientDescribing([
      pending('startMember', STARTED, { member: '1', step: 'pulling', image: 'a:1', layers: { done: 1, total: 3 } }),
      pending('startMember', STARTED, { member: '2', step: 'creating' }, { attempt: 2 }),
      pending('startMember', SCHEDULED, { member: '3', step: 'pulling', image: 'a:1' }, { attempt: 3, lastFailure: { message: 'pull a:1: connection reset' } }),
      pending('startMember', STARTED, undefined), // no step known yet: bare heartbeats
      pending('startMember', SCHEDULED, { member: '5', step: 'creating' }), // first attempt, not started yet
      pending('removeContainer', STARTED, { member: '6', step: 'creating' }),
    ]),
    'clocker/app/shop/svc/web',
  );
  assert.deepEqual(Object.fromEntries(steps), {
    '1': { progress: { member: '1', step: 'pulling', image: 'a:1', layers: { done: 1, total: 3 } } },
    '2': { progress: { member: '2', step: 'creating' }, retry: { attempt: 2 } },
    '3': { progress: { member: '3', step: 'pulling', image: 'a:1' }, retry: { attempt: 3, waitingAfter: 'pull a:1: connection reset' } },
  });
});

test("a host's batch (startMembers) gives each of its members its step, with the batch's attempt", async () => {
  const steps = await pendingMemberSteps(
    clientDescribing([
      pending('startMembers', STARTED, { members: [{ member: '1', step: 'healthy' }, { member: '2', step: 'pulling', image: 'a:1' }] }),
      pending('startMembers', STARTED, { members: [{ member: '3', step: 'creating' }, { member: '4', step: 'dancing' }] }, { attempt: 2 }),
      pending('startMembers', STARTED, { member: '5', step: 'creating' }), // not a batch's details
    ]),
    'clocker/app/shop/svc/web',
  );
  assert.deepEqual(Object.fromEntries(steps), {
    '1': { progress: { member: '1', step: 'healthy' } },
    '2': { progress: { member: '2', step: 'pulling', image: 'a:1' } },
    '3': { progress: { member: '3', step: 'creating' }, retry: { attempt: 2 } },
  });
});
