// Where each member a service is starting stands inside its activity (pulling, creating,
// starting, waiting for health). A workflow cannot read its own activities' heartbeats, so
// the service's status says only PLACED until the activity ends; the server knows the latest
// heartbeat of each activity in flight, and the workflow's description lists them. One
// describe per service with members in flight, only while following: no command, no history.
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal as proto } from '@temporalio/proto';
import { batchProgressOf, memberProgressOf, type MemberProgress } from '../../domain/application/memberProgress';
import type { MemberView, ServiceView } from '../../domain/application/status';

/** An attempt after the first: which one, and why the one before failed. */
export interface MemberRetry {
  attempt: number;
  /** The last attempt's failure, while the next one waits for its turn. */
  waitingAfter?: string;
}

/** Where a member is inside its start activity, as the server has it. */
export interface MemberInFlight {
  progress: MemberProgress;
  retry?: MemberRetry;
}

/** A member as a follower shows it: the service's view, plus its activity's step while it starts. */
export type LiveMemberView = MemberView & Partial<MemberInFlight>;

const { PENDING_ACTIVITY_STATE_STARTED: STARTED, PENDING_ACTIVITY_STATE_SCHEDULED: SCHEDULED } = proto.api.enums.v1.PendingActivityState;

/** The step of each member whose startMember (or whose host's startMembers) is in flight, by member id. */
export async function pendingMemberSteps(temporal: Client, workflowId: string): Promise<Map<string, MemberInFlight>> {
  const description = await temporal.workflow.getHandle(workflowId).describe();
  const steps = new Map<string, MemberInFlight>();
  for (const a of description.raw.pendingActivities ?? []) {
    const attempt = a.attempt ?? 1;
    // Scheduled again after a failure: the details are the last attempt's, which say whose it is.
    const waiting = a.state === SCHEDULED && attempt > 1;
    const type = a.activityType?.name;
    if ((type !== 'startMember' && type !== 'startMembers') || (a.state !== STARTED && !waiting)) continue;
    const payloads = a.heartbeatDetails?.payloads;
    if (!payloads?.length) continue;
    const [details] = await decodeArrayFromPayloads(temporal.options.loadedDataConverter, payloads);
    // startMember carries its member's progress; a host's batch (startMembers) every member's.
    const progresses = type === 'startMember' ? [memberProgressOf(details)].filter((p) => p !== undefined) : batchProgressOf(details);
    const failure = a.lastFailure?.message ?? undefined;
    const retry: MemberRetry | undefined = attempt > 1 ? { attempt, ...(waiting ? { waitingAfter: failure ?? 'a failure' } : {}) } : undefined;
    for (const progress of progresses) steps.set(progress.member, { progress, ...(retry ? { retry } : {}) });
  }
  return steps;
}

/** The service's members with the steps of those still PLACED (the others have left their activity). */
export function withMemberSteps(service: ServiceView, steps: ReadonlyMap<string, MemberInFlight>): ServiceView {
  if (steps.size === 0) return service;
  const members = service.members.map((m): LiveMemberView => {
    const step = m.state === 'PLACED' ? steps.get(m.member) : undefined;
    return step ? { ...m, ...step } : m;
  });
  return { ...service, members };
}
