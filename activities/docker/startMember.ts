// A new member in one activity: create-or-adopt, start, then wait until it is healthy. One
// call instead of ensureContainer + waitHealthy halves the history a member costs (three
// events and one workflow task fewer) with the same durability: both halves are idempotent,
// so an attempt retried after a worker crash adopts the container by name and waits again.
// The failure is the half's own (HealthTimeoutError, ContainerExitedError…), unchanged.
//
// startMembers (issue #16) does the same for all of a placement's new members on one host in
// one activity: one task, one stream of heartbeats (every member's step in each) and one
// completion per host instead of one per member, which is most of what the orchestration costs
// a member. Each member's outcome is its own: the answer lists what each member became or how it
// failed, and a failure a retry could mend is the workflow's to retry (one startMember for that
// member, with the usual policy). A retried batch (a worker died) adopts what the last attempt
// made, member by member, as startMember does.
import { Context } from '@temporalio/activity';
import type { HealthCheck, ServiceSpec, Template } from '../../domain/blueprint/model';
import type { DockerEndpoint } from '../../domain/infra/model';
import { containerName, type MemberRef } from '../../domain/naming';
import { whileBeating } from '../heartbeatTicker';
import type { ContainerInfo, EnsureContainerInput, MemberContainers } from './containers';
import type { NetworkAttachment } from './containerOptions';
import type { HealthWait } from './health';
import { BatchReport, beat, reportingProgress, reportStep } from './memberProgressReport';
import { failureOutcome, type MemberFailure } from './memberFailure';

export interface StartMemberInput extends EnsureContainerInput {
  /** Where the worker reaches the member's published ports. */
  hostAddress: string;
  health?: HealthCheck;
  /** Upper bound on the health wait. */
  healthTimeoutMs: number;
  /** The secrets the member was given: output that goes into an error is redacted of their values. */
  secretNames?: string[];
}

export interface StartMembersInput {
  endpoint: DockerEndpoint;
  /** Where the worker reaches the members' published ports. */
  hostAddress: string;
  spec: ServiceSpec;
  env?: Record<string, Template>;
  dns?: string[];
  health?: HealthCheck;
  healthTimeoutMs: number;
  secretNames?: string[];
  /** The infrastructure the members are booked in, labelled on their containers. */
  infrastructure?: string;
  /** Each member with the networks it joins (its own addresses on them). */
  members: { ref: MemberRef; networks?: (NetworkAttachment & { id: string })[] }[];
}

/** What one member of a batch became: its container, or its failure. */
export type MemberStart = { member: string; info: ContainerInfo } | { member: string; failure: MemberFailure };

export function startMemberActivities(members: MemberContainers, waitHealthy: HealthWait) {
  /** Create-or-adopt, start, wait for health: one member, inside its progress report. */
  async function startOne(input: StartMemberInput): Promise<ContainerInfo> {
    const { hostAddress, health, healthTimeoutMs, secretNames, ...create } = input;
    // Heartbeats on a timer too: an engine slow to create (a loaded host) is not taken for a dead worker.
    const { info, look } = await whileBeating(() => members.ensure(create), beat);
    reportStep('waiting for health');
    // The look taken after start (if one was needed) is the health wait's first: one inspect fewer.
    await waitHealthy(
      {
        endpoint: input.endpoint,
        containerName: containerName(input.ref),
        hostAddress,
        ports: info.ports,
        ...(health ? { health } : {}),
        timeoutMs: healthTimeoutMs,
        ...(secretNames ? { secretNames } : {}),
      },
      look,
    );
    return info;
  }

  return {
    async startMember(input: StartMemberInput): Promise<ContainerInfo> {
      // Every heartbeat says which step the member is on (pulling, creating, starting, waiting
      // for health): the workflow sees one activity, a client following it sees the steps.
      return reportingProgress(input.ref.member, () => startOne(input));
    },

    async startMembers(input: StartMembersInput): Promise<MemberStart[]> {
      const { members: batch, ...common } = input;
      const report = new BatchReport();
      const outcomes = await Promise.all(
        batch.map(({ ref, networks }) =>
          report.member(ref.member, () => startOne({ ...common, ref, ...(networks ? { networks } : {}) })).then(
            (info): MemberStart => {
              report.settle(ref.member, 'healthy');
              return { member: ref.member, info };
            },
            (err: unknown): MemberStart => ({ member: ref.member, failure: failureOutcome(err) }),
          ),
        ),
      );
      // Given up on (a destroy): the batch ends as cancelled, as each member's activity would.
      Context.current().cancellationSignal.throwIfAborted();
      return outcomes;
    },
  };
}
