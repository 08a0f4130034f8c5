// An application's networks are made by one owner before anything needs them: the application
// ensures each on every live host of its infrastructure before it starts a service, so two
// services' members never race to create the same network (Docker 20.10 answers the loser with
// 403 "Pool overlaps"). A host that joins later gets them from the service's per-host ensure
// (workflows/serviceMembers.ts), which adopts what exists.
//
// Overlay networks (app-overlay-swarm) need the infrastructure's hosts in one Docker swarm:
// the application ensures it (idempotent, ensureSwarm) just before it makes an overlay network,
// then makes that network once, on a manager; every swarm node can then attach members to it.
// The swarm is formed lazily here rather than by the infrastructure as hosts come, so no
// infrastructure or host workflow changes, and an infrastructure that never runs an overlay
// network never turns its engines into a swarm.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NetworkSpec } from '../domain/blueprint/model';
import { networkOwner } from '../domain/ipam';
import { quick } from './activityOptions';
import { isActivityFailureOfType } from './failureText';
import { ensureRoutedNetworks, isRouted } from './routedNetworks';

const act = proxyActivities<Activities>(quick);

/** Throws the first failure, once every host and network has been tried; then isolates the networks that ask for it. */
export async function ensureNetworksUpFront(app: string, infrastructure: string, networks: readonly NetworkSpec[]): Promise<void> {
  if (networks.length === 0) return;
  await makeNetworks(app, infrastructure, networks);
  // addIptablesRules (app-iptables-rules): the rules on every live host, once the networks are
  // there (a bridge network's rules name its Linux bridge on each host). Runs before these
  // refused the field, so no old history comes here with it.
  // A shared network's rules are the infrastructure's (they go when its last application leaves).
  // A routed network closes itself (its driver's rules, activities/network/routedCommands.ts): no isolation rules of its own.
  const isolated = networks.filter((n) => n.addIptablesRules && !isRouted(n));
  if (isolated.length > 0 && patched('app-iptables-rules')) {
    for (const owner of [...new Set(isolated.map((n) => networkOwner(app, n)))]) {
      const mine = isolated.filter((n) => networkOwner(app, n) === owner);
      await act.isolateNetworks({ infrastructure, app: owner, networks: mine.map(({ id, driver }) => ({ id, driver })) });
    }
  }
}

async function makeNetworks(app: string, infrastructure: string, networks: readonly NetworkSpec[]): Promise<void> {
  // Routed networks: each host's block, bridge and routes (workflows/routedNetworks.ts). Refused before, so no old history has one.
  if (networks.some(isRouted) && patched('app-routed-networks')) {
    await ensureRoutedNetworks(app, infrastructure, networks.filter(isRouted));
    networks = networks.filter((n) => !isRouted(n));
    if (networks.length === 0) return;
  }
  const hosts = await act.liveHostEndpoints({ infrastructure });
  // Old validators refused overlay networks, so no old history reaches this branch.
  if (networks.some((n) => n.driver === 'overlay') && patched('app-overlay-swarm')) {
    // encrypted: true (refused by the loaders before it, so no old history has one): every live
    // host's kernel is asked for IPsec first; a refusal fails the deployment before any network is made.
    const encrypted = networks.filter((n) => n.driver === 'overlay' && n.encrypted);
    if (encrypted.length > 0 && patched('app-encrypted-overlay')) await act.checkOverlayEncryption({ infrastructure, networks: encrypted.map((n) => n.id) });
    const { manager } = await act.ensureSwarm({ hosts, infrastructure });
    const outcomes = await Promise.allSettled(
      networks.flatMap((network) => (network.driver === 'overlay' ? [manager] : hosts).map((endpoint) => act.ensureNetwork({ endpoint, app: networkOwner(app, network), network }))),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    return;
  }
  // A shared network (shared: true) is the infrastructure's: every application names the same one.
  const outcomes = await Promise.allSettled(hosts.flatMap((endpoint) => networks.map((network) => act.ensureNetwork({ endpoint, app: networkOwner(app, network), network }))));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}

/** The network whose subnet an engine said another network holds (SubnetTakenError), if that is what failed. */
export function subnetTakenIn(err: unknown, networks: readonly NetworkSpec[]): NetworkSpec | undefined {
  if (!isActivityFailureOfType(err, 'SubnetTakenError')) return undefined;
  return networks.find((n) => n.cidr !== undefined && err.cause.message.includes(`cannot have ${n.cidr}:`));
}
