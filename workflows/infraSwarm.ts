// The infrastructure's part in its Docker swarm. Applications form the swarm when they first need
// an overlay network (ensureSwarm, which then signals swarmInUse); from then on every host change
// (a host ready: added or back; draining; failed; removed) asks for a repair of the swarm's
// membership (repairSwarm: activities/docker/swarmRepair.ts), so a removed manager stops voting,
// a failed one is replaced, and a new host joins without waiting for a member to be placed there.
// Repairs run one at a time beside the workflow's main line; changes that come during one are
// taken by the next, with the hosts removed meanwhile. An infrastructure whose engines were never
// in a swarm issues nothing new.
import { log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SwarmRepairHost, SwarmRepairRequest } from '../activities/docker/swarmRepair';
import type { HostRecord, HostStatus } from '../domain/infra/model';
import { heartbeating } from './activityOptions';
import type { HostBooks } from './hostBooks';
import type { HostLifecycle } from './hostLifecycle';
import { swarmInUseSignal } from './swarmMessages';

const repairing = proxyActivities<Activities>({ ...heartbeating, startToCloseTimeout: '5m' });

const STATES: Record<HostStatus, SwarmRepairHost['state']> = { AVAILABLE: 'live', DRAINING: 'draining', FAILED: 'failed', PROVISIONING: 'pending' };

export class InfraSwarm {
  private dirty = false;
  private running = false;
  private removed: SwarmRepairRequest['removed'] = [];

  constructor(
    private readonly books: HostBooks,
    private readonly lifecycle: HostLifecycle,
  ) {
    // A new handler, no command: the flag is kept in the state across continueAsNew.
    setHandler(swarmInUseSignal, () => void (books.data.swarm = true), {
      description: "internal: the infrastructure's engines are in a Docker swarm (an overlay network made it); from now on it repairs the swarm as hosts change.",
    });
  }

  /** A host changed; `removed`: the record of a host that just left the infrastructure. */
  changed(why: string, removed?: HostRecord): void {
    if (!this.books.data.swarm || !patched('infra-swarm-repair')) return;
    if (removed) this.removed.push({ id: removed.id, address: removed.address, docker: removed.docker });
    this.dirty = true;
    if (this.running) return;
    this.running = true;
    this.lifecycle.spawn(`repairing the swarm (${why})`, () => this.repairWhileDirty());
  }

  private async repairWhileDirty(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const removed = this.removed.splice(0);
        const hosts = this.books.data.hosts.map(({ record: r }) => ({ id: r.id, address: r.address, docker: r.docker, state: STATES[r.status] }));
        const outcome = await repairing.repairSwarm({ hosts, removed });
        if (outcome.did.length > 0) log.info(`swarm repaired: ${outcome.did.join('; ')}; managers ${outcome.managers.join(', ')}`);
        if (outcome.problems.length > 0) log.warn(`swarm repair left: ${outcome.problems.join('; ')}`);
      }
    } finally {
      this.running = false;
    }
  }
}
