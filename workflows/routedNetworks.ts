// Routed networks (driver: routed) from the application's and the services' side
// (app-routed-networks, svc-routed-networks, app-routed-follow): the steps are activities in
// activities/network/routed.ts and routedNames.ts; this file only says when they run.
//
//   the application ensures its networks  → ensureRoutedNetwork, every live host (blocks,
//                                           bridges, routes; withdraws dead hosts' routes)
//   a service places a member on a host    → ensureRoutedNetwork for that host (its block and
//                                           bridge; its routes added on every host)
//   the members the application knows change → ensureRoutedNetwork, every live host (as above),
//                                           then writeRoutedNames (every member's /etc/hosts)
//   destroy                                → removeRoutedNetwork (routes and rules, every host)
import { condition, log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AppView } from '../domain/application/status';
import type { NetworkSpec, ServiceSpec } from '../domain/blueprint/model';
import { routedNameEntries } from '../domain/network/routedNames';
import { quick } from './activityOptions';
import { failureText } from './failureText';

// Each host costs an SSH round trip or two (or a `docker exec` per member): more than a quick
// call. The activities heartbeat, so a worker that dies mid-way is noticed in seconds.
const act = proxyActivities<Activities>({ ...quick, startToCloseTimeout: '2m', heartbeatTimeout: '10s' });

export const isRouted = (n: Pick<NetworkSpec, 'driver'>) => n.driver === 'routed';

/** Every live host: blocks, bridges and routes, one network after the other; throws the first failure. */
export async function ensureRoutedNetworks(app: string, infrastructure: string, networks: readonly NetworkSpec[]): Promise<void> {
  for (const n of networks) {
    await act.ensureRoutedNetwork({ infrastructure, app, network: { id: n.id, driver: n.driver, labels: n.labels, cidr: n.cidr }, withdraw: true });
  }
}

/** One host, when a service first places a member there: its block and bridge, its routes everywhere. */
export async function ensureRoutedOnHost(app: string, infrastructure: string, network: NetworkSpec, hostId: string): Promise<void> {
  await act.ensureRoutedNetwork({ infrastructure, app, network: { id: network.id, driver: network.driver, labels: network.labels, cidr: network.cidr }, hostIds: [hostId] });
}

/** Destroy: routes and rules off every host; the Docker networks go with the application's resources, the blocks with its subnet. */
export async function removeRoutedNetworks(app: string, infrastructure: string, networks: readonly NetworkSpec[]): Promise<void> {
  for (const n of networks) if (n.cidr) await act.removeRoutedNetwork({ infrastructure, app, network: { id: n.id, cidr: n.cidr } });
}

/**
 * Keeps routed networks in step with the members the application knows: each time the running
 * members on them (address, container) change (one started, moved, removed; a host failed under
 * them), the routes are ensured on every live host (a failed or removed host's withdrawn, a
 * removed host's block given back), then the names are written into every member's /etc/hosts.
 * One round at a time, the latest table each time. Ends when `done` says so. An application
 * without routed networks only waits (no command, no marker).
 */
export async function keepRoutedNetworks(
  app: string,
  infrastructure: string,
  source: { networks: () => readonly NetworkSpec[]; services: () => readonly ServiceSpec[]; view: () => Pick<AppView, 'services'>; done: () => boolean },
): Promise<void> {
  const routed = () => source.networks().filter(isRouted);
  const table = () => routedNameEntries(app, source.services(), source.view(), routed().map((n) => n.id));
  let written = '[]';
  for (;;) {
    // Looked at on every activation of the application: nothing is computed while it has no routed network.
    await condition(() => source.done() || ((routed().length > 0 || written !== '[]') && JSON.stringify(table()) !== written));
    if (source.done()) return;
    if (!patched('app-routed-follow')) return;
    const entries = table();
    // A round that failed (a host down) is tried again with the next change, not in a loop.
    await ensureRoutedNetworks(app, infrastructure, routed()).catch((err: unknown) => log.warn(`routes of ${app} were not ensured: ${failureText(err)}`));
    await act.writeRoutedNames({ infrastructure, app, networks: routed().map((n) => n.id), entries }).catch((err: unknown) => log.warn(`routed names of ${app} were not written: ${failureText(err)}`));
    written = JSON.stringify(entries);
  }
}
