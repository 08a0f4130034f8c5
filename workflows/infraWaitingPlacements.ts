// Services the infrastructure refused a placement ("no host fits") wait for room, as Nomad's
// blocked evaluations do: once room grows (a host AVAILABLE again or added, members released)
// each waiting service hears `capacityFreed` and tries again at once, instead of at its next
// backoff step. The list lives in the infrastructure's state, so it survives continue-as-new.
import { condition, getExternalWorkflowHandle, log, patched } from '@temporalio/workflow';
import type { InfraState } from '../domain/infra/model';
import { workflowIds } from '../domain/naming';
import { failureText } from './failureText';
import { capacityFreedSignal } from './messages';

/** Services remembered at most (a refusal beyond it still retries on its own backoff). */
const KEPT = 500;

export interface WaitingService {
  app: string;
  service: string;
}

/** Grows when a host becomes AVAILABLE or a reservation on one is released; falls when members are placed. */
export function roomScore(data: InfraState): number {
  return data.hosts.filter((h) => h.record.status === 'AVAILABLE').reduce((score, h) => score + 1_000_000 - h.reservations.length, 0);
}

export class WaitingPlacements {
  /** The lowest room seen since the last word to the waiting services. */
  private lowWater: number;
  /** Signals on their way: the run does not continue as new meanwhile. */
  telling = false;

  constructor(private readonly data: InfraState, private readonly infrastructure: string) {
    this.lowWater = roomScore(data);
  }

  refused(app: string, service: string): void {
    const list = (this.data.waiting ??= []);
    if (list.length < KEPT && !list.some((w) => w.app === app && w.service === service)) list.push({ app, service });
    this.lowWater = Math.min(this.lowWater, roomScore(this.data));
  }

  /** Runs for the life of the run; issues signals only when a waiting service may now fit. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => {
        const room = roomScore(this.data);
        if ((this.data.waiting?.length ?? 0) === 0) this.lowWater = room;
        else this.lowWater = Math.min(this.lowWater, room);
        return (this.data.waiting?.length ?? 0) > 0 && room > this.lowWater;
      });
      this.lowWater = roomScore(this.data);
      // Infrastructures of earlier releases never told services; their histories replay without it.
      if (!patched('infra-capacity-nudge')) continue;
      const waiting = this.data.waiting ?? [];
      this.data.waiting = [];
      this.telling = true;
      try {
        for (const w of waiting) {
          await getExternalWorkflowHandle(workflowIds.service(w.app, w.service))
            .signal(capacityFreedSignal, { infrastructure: this.infrastructure })
            .catch((err: unknown) => log.info(`${w.app}/${w.service} did not hear that room was freed (it may be gone): ${failureText(err)}`));
        }
      } finally {
        this.telling = false;
      }
    }
  }
}
