// Where host headroom's extra hosts come from and go back to. The decision
// (domain/infra/headroom.ts) sees only spares (ids and container slots); a pool turns "bring
// these in" and "let this one go" into the books' and host workflows' terms.
//
// byon (the one built): spares are machines already in the books (role 'spare', from the infra
// file or `infra add-host --spare`); bringing one in provisions it as `infra resize` does,
// letting one go drains it back to the spares.
//
// A cloud provider (activities/provisioning/machineProvider.ts) is a second pool behind this
// interface: `available` lists machines it may still make (ids it chooses, up to a limit);
// `bringIn` runs its `ensureMachines` activity for those ids, adds what comes back to the books
// (`addMachine(host, 'active')`) and provisions them the same way; `release` drains with
// 'forget' and then runs `destroyMachine`.
import type { HeadroomSpare } from '../domain/infra/headroom';
import { headroomSpares } from '../domain/infra/headroomBooks';
import type { HostBooks } from './hostBooks';
import type { HostLifecycle } from './hostLifecycle';

export interface SparePool {
  /** Machines that can be brought in, in the order to take them. */
  available(): HeadroomSpare[];
  /** Each ends as a host PROVISIONING in the books (its capacity counts from then on). */
  bringIn(ids: string[]): void;
  /** The host drains (takes no new members) and leaves the scheduler. */
  release(id: string): void;
}

export function byonSparePool(books: HostBooks, lifecycle: HostLifecycle): SparePool {
  return {
    available: () => headroomSpares(books.data),
    bringIn(ids) {
      for (const id of ids) {
        books.activate(id);
        lifecycle.spawn(`provisioning host ${id}`, () => lifecycle.provision(id, true));
      }
    },
    release(id) {
      const groups = books.startDrain(id, 'spare');
      if (groups) lifecycle.spawn(`draining host ${id}`, () => lifecycle.drain(id, groups));
    },
  };
}
