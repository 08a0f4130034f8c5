// Where each member a service is starting stands inside its activity (pulling, creating,
// starting, waiting for health). A workflow cannot read its own activities' heartbeats, so
// the service's status says only PLACED until the activity ends; the server knows the latest
// heartbeat of each activity in flight, and the workflow's description lists them. One
// describe per service with members in flight, only while following: no command, no history.
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal as proto } from '@temporalio/proto';
import { memberProgressOf, type MemberProgress } from '../../domain/application/memberProgress';
import type { MemberView, ServiceView } from '../../domain/application/status';

/** A member as a follower shows it: the service's view, plus its activity's step while it starts. */
export type LiveMemberView = MemberView & { progress?: MemberProgress };

/** The step of each member whose startMember runs now, by member id. */
export async function pendingMemberSteps(temporal: Client, workflowId: string): Promise<Map<string, MemberProgress>> {
  const description = await temporal.workflow.getHandle(workflowId).describe();
  const steps = new Map<string, MemberProgress>();
  for (const a of description.raw.pendingActivities ?? []) {
    // A retry waiting for its turn still carries the last attempt's step: not where it is now.
    if (a.activityType?.name !== 'startMember' || a.state !== proto.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) continue;
    const payloads = a.heartbeatDetails?.payloads;
    if (!payloads?.length) continue;
    const [details] = await decodeArrayFromPayloads(temporal.options.loadedDataConverter, payloads);
    const progress = memberProgressOf(details);
    if (progress) steps.set(progress.member, progress);
  }
  return steps;
}

/** The service's members with the steps of those still PLACED (the others have left their activity). */
export function withMemberSteps(service: ServiceView, steps: ReadonlyMap<string, MemberProgress>): ServiceView {
  if (steps.size === 0) return service;
  const members = service.members.map((m): LiveMemberView => {
    const progress = m.state === 'PLACED' ? steps.get(m.member) : undefined;
    return progress ? { ...m, progress } : m;
  });
  return { ...service, members };
}
