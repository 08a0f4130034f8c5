// A new member in one activity: create-or-adopt, start, then wait until it is healthy. One
// call instead of ensureContainer + waitHealthy halves the history a member costs (three
// events and one workflow task fewer) with the same durability: both halves are idempotent,
// so an attempt retried after a worker crash adopts the container by name and waits again.
// The failure is the half's own (HealthTimeoutError, ContainerExitedError…), unchanged.
import type { HealthCheck } from '../../domain/blueprint/model';
import { containerName } from '../../domain/naming';
import { whileBeating } from '../heartbeatTicker';
import type { ContainerInfo, EnsureContainerInput, MemberContainers } from './containers';
import type { HealthWait } from './health';
import { beat, reportingProgress, reportStep } from './memberProgressReport';

export interface StartMemberInput extends EnsureContainerInput {
  /** Where the worker reaches the member's published ports. */
  hostAddress: string;
  health?: HealthCheck;
  /** Upper bound on the health wait. */
  healthTimeoutMs: number;
  /** The secrets the member was given: output that goes into an error is redacted of their values. */
  secretNames?: string[];
}

export function startMemberActivities(members: MemberContainers, waitHealthy: HealthWait) {
  return {
    async startMember(input: StartMemberInput): Promise<ContainerInfo> {
      const { hostAddress, health, healthTimeoutMs, secretNames, ...create } = input;
      // Every heartbeat says which step the member is on (pulling, creating, starting, waiting
      // for health): the workflow sees one activity, a client following it sees the steps.
      return reportingProgress(input.ref.member, async () => {
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
      });
    },
  };
}
