// Routed networks (driver: routed) on the infrastructure's hosts: each host's block from the
// infrastructure's IPAM books (routedBlockMessages.ts), a Docker bridge network on it with
// masquerading off, and on every live host the routes to the other hosts' blocks and the
// rules that let them in (routedCommands.ts), through the host's shell (hostShell.ts).
//
// Route distribution is done here where Calico runs BGP: the application calls this whenever it
// ensures its networks (every live host, withdrawing the routes of hosts that left or failed),
// a service when it first places a member on a host (that host's block, its routes added
// everywhere, nothing withdrawn: another host's ensure may be under way), and destroy takes
// routes and rules off every host. Docker networks go with the application's other resources.
import { lookup } from 'node:dns/promises';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { NetworkSpec } from '../../domain/blueprint/model';
import type { HostAccess } from '../../domain/infra/hostAccess';
import { parseAddress } from '../../domain/ipam/addressMath';
import { blockGateway, routesFor, staleRoutes, type HostBlocks, type RoutedHost } from '../../domain/network/routedBlocks';
import { workflowIds } from '../../domain/naming';
import { hostAccessQuery } from '../../workflows/hostAccessQuery';
import { hostBlocksQuery, hostBlocksUpdate } from '../../workflows/routedBlockMessages';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { networkActivities } from '../docker/networks';
import { SubnetRejectedError, UnsupportedFeatureError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import { whileBeating } from '../heartbeatTicker';
import { hostShellFor, type HostShell } from './hostShell';
import { listRoutesCommand, listRulesScript, removalScript, routedHostScript, ruleRemovals } from './routedCommands';

export type RoutedNetwork = Pick<NetworkSpec, 'id' | 'driver' | 'labels' | 'cidr'>;

export interface EnsureRoutedInput {
  infrastructure: string;
  /** The network's owner on the hosts (the application). */
  app: string;
  network: RoutedNetwork;
  /** Only these hosts get a block and a network now (a service's member host); absent: every live host. */
  hostIds?: string[];
  /** Withdraw the routes of hosts that are not live, and give back the blocks of hosts the infrastructure no longer has (the application's ensure). */
  withdraw?: boolean;
}

export interface RoutedHostState {
  hostId: string;
  block?: string;
  routes: number;
  withdrawn: string[];
}

const live = (h: HostAccess) => h.status === 'AVAILABLE' || h.status === 'DRAINING';

export function routedNetworkActivities(temporal: Client, dockerFor: DockerClientFactory, secrets: SecretStore) {
  const infra = (name: string) => temporal.workflow.getHandle(workflowIds.infrastructure(name));
  const ensureNetwork = networkActivities(dockerFor).ensureNetwork;
  const shellOf = (h: HostAccess): HostShell => {
    const shell = hostShellFor(h, secrets);
    if (!shell) {
      throw new UnsupportedFeatureError(
        `a routed network on host ${h.id}: Clocker reaches it only through its Docker API (${describeEndpoint(h.docker)}); its routes need a host it runs commands on (a byon host, over SSH, or the local engine)`,
      );
    }
    return shell;
  };
  /** Stable per activity, so a retried activity gets the first attempt's answer. */
  const updateId = () => {
    const info = Context.current().info;
    return `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.workflowExecution?.runId ?? ''}/${info.activityId}`;
  };

  return {
    /** Blocks, Docker networks and routes for one routed network; idempotent. */
    async ensureRoutedNetwork(req: EnsureRoutedInput): Promise<RoutedHostState[]> {
      return whileBeating(() => ensure(req));
    },

    /** Takes the network's routes and rules off every host that is not FAILED; returns "host: n rules" per host. */
    async removeRoutedNetwork(req: { infrastructure: string; app: string; network: { id: string; cidr: string } }): Promise<string[]> {
      return whileBeating(() => remove(req));
    },
  };

  async function ensure(req: EnsureRoutedInput): Promise<RoutedHostState[]> {
    const owner = `${req.app}/${req.network.id}`;
    const subnet = req.network.cidr;
    if (!subnet) throw new SubnetRejectedError(req.infrastructure, owner, 'the routed network has no subnet from IPAM yet');
    const known = await infra(req.infrastructure).query(hostAccessQuery);
    const hosts = known.filter(live);
    const targets = hosts.filter((h) => req.hostIds === undefined || req.hostIds.includes(h.id));
    const shells = new Map(hosts.map((h) => [h.id, shellOf(h)]));
    await infra(req.infrastructure)
      .executeUpdate(hostBlocksUpdate, { args: [{ subnetId: subnet, hosts: targets.map((h) => h.id), ...(req.withdraw ? { knownHosts: known.map((h) => h.id) } : {}) }], updateId: updateId() })
      .catch((err: unknown) => {
        if (err instanceof WorkflowUpdateFailedError) throw new SubnetRejectedError(req.infrastructure, `${owner} (host blocks)`, err.cause?.message ?? err.message);
        throw err;
      });
    // The books read again just before the routes: a host another ensure gave a block to meanwhile is routed too.
    const blocks: HostBlocks = await infra(req.infrastructure).query(hostBlocksQuery, subnet);
    for (const h of targets) {
      const block = blocks[h.id]?.[0];
      if (!block) throw new SubnetRejectedError(req.infrastructure, `${owner} on ${h.id}`, 'IPAM gave the host no block');
      await ensureNetwork({ endpoint: h.docker, app: req.app, network: { ...req.network, cidr: block, gateway: blockGateway(block) } });
    }
    const routed: RoutedHost[] = await Promise.all(hosts.map(async (h) => ({ id: h.id, address: await ipv4Of(h), blocks: blocks[h.id] ?? [] })));
    return Promise.all(
      hosts.map(async (h): Promise<RoutedHostState> => {
        const shell = shells.get(h.id)!;
        const routes = routesFor(h.id, routed);
        const stale = req.withdraw ? staleRoutes((await shell({ argv: listRoutesCommand(subnet) })).stdout, subnet, routes) : [];
        const ownBlocks = blocks[h.id] ?? [];
        await shell({ argv: routedHostScript({ owner, subnet, ownBlocks, routes, stale }), timeoutMs: 60_000 });
        return { hostId: h.id, ...(ownBlocks[0] ? { block: ownBlocks[0] } : {}), routes: routes.length, withdrawn: stale };
      }),
    );
  }

  async function remove(req: { infrastructure: string; app: string; network: { id: string; cidr: string } }): Promise<string[]> {
    const owner = `${req.app}/${req.network.id}`;
    const hosts = (await infra(req.infrastructure).query(hostAccessQuery)).filter((h) => h.status !== 'FAILED' && h.status !== 'PROVISIONING');
    return Promise.all(
      hosts.map(async (h) => {
        const shell = hostShellFor(h, secrets);
        if (!shell) return `${h.id}: no shell, no routes`;
        const removals = ruleRemovals((await shell({ argv: listRulesScript() })).stdout, owner);
        await shell({ argv: removalScript(req.network.cidr, removals) });
        return `${h.id}: ${removals.length} rules`;
      }),
    );
  }
}

/** The next hop for a host's blocks: its address, looked up when it is a name. */
async function ipv4Of(h: HostAccess): Promise<string> {
  if (parseAddress(h.address)?.family === 4) return h.address;
  return (await lookup(h.address, { family: 4 })).address;
}
