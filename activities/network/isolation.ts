// Isolation of application networks (`addIptablesRules: true`) on the infrastructure's hosts:
// the rules of isolationRules.ts applied through each host's shell (hostShell.ts), one round
// trip per host, and removed by their comments when the application goes.
import type { Client } from '@temporalio/client';
import type Docker from 'dockerode';
import type { NetworkSpec } from '../../domain/blueprint/model';
import type { HostAccess } from '../../domain/infra/hostAccess';
import { networkName, workflowIds } from '../../domain/naming';
import { hostAccessQuery } from '../../workflows/hostAccessQuery';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { dockerError, statusCodeOf } from '../docker/dockerErrors';
import { RemoteCommandError, UnsupportedFeatureError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import { GWBRIDGE, isolationSteps, listRulesCommand, removalCommands, removalScript, stepsScript, type IsolatedNetwork } from './isolationRules';
import { hostShellFor, type HostShell } from './hostShell';

export type NetworkToIsolate = Pick<NetworkSpec, 'id' | 'driver'>;

export interface IsolateInput {
  infrastructure: string;
  app: string;
  networks: NetworkToIsolate[];
  /** Only these hosts (a service's first member on a host); absent: every live host. */
  hostIds?: string[];
}

export interface HostIsolation {
  hostId: string;
  /** The interfaces whose rules are in place there. */
  interfaces: string[];
}

const live = (h: HostAccess) => h.status === 'AVAILABLE' || h.status === 'DRAINING';

export function isolationActivities(temporal: Client, dockerFor: DockerClientFactory, secrets: SecretStore) {
  const hostsOf = (infrastructure: string) => temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).query(hostAccessQuery);
  const shellOf = (h: HostAccess): HostShell => {
    const shell = hostShellFor(h, secrets);
    if (!shell) {
      throw new UnsupportedFeatureError(
        `addIptablesRules on host ${h.id}: Clocker reaches it only through its Docker API (${describeEndpoint(h.docker)}); the rules need a host it runs commands on (a byon host, over SSH, or the local engine)`,
      );
    }
    return shell;
  };

  return {
    /** Puts each network's rules on the hosts; idempotent. A bridge network not made on a host yet is skipped there (its first member's host gets it). */
    async isolateNetworks(req: IsolateInput): Promise<HostIsolation[]> {
      const hosts = (await hostsOf(req.infrastructure)).filter((h) => live(h) && (req.hostIds === undefined || req.hostIds.includes(h.id)));
      return Promise.all(
        hosts.map(async (h): Promise<HostIsolation> => {
          const shell = shellOf(h);
          const networks: IsolatedNetwork[] = [];
          for (const n of req.networks) {
            const iface = n.driver === 'overlay' ? GWBRIDGE : await bridgeInterface(dockerFor(h.docker), describeEndpoint(h.docker), networkName(req.app, n.id, n.driver));
            if (iface) networks.push({ app: req.app, network: n.id, iface });
          }
          await shell({ argv: stepsScript(isolationSteps(networks)), timeoutMs: 60_000 });
          return { hostId: h.id, interfaces: networks.map((n) => n.iface) };
        }),
      );
    },

    /** Removes the application's rules (or one network's) from every host that is not FAILED; returns "host: n rules" per host. */
    async removeIsolation(req: { infrastructure: string; app: string; network?: string }): Promise<string[]> {
      const hosts = (await hostsOf(req.infrastructure)).filter((h) => h.status !== 'FAILED' && h.status !== 'PROVISIONING');
      return Promise.all(
        hosts.map(async (h) => {
          const shell = hostShellFor(h, secrets);
          if (!shell) return `${h.id}: no shell, no rules`;
          const listing = await shell({ argv: listRulesCommand(), okExitCodes: [0, 1] });
          const removals = removalCommands(listing.stdout, req.app, req.network);
          if (removals.length > 0) await shell({ argv: removalScript(removals) });
          // Exit 1 was tolerated above (a rule another sweep took): what is left says whether all went.
          const left = removalCommands((await shell({ argv: listRulesCommand(), okExitCodes: [0, 1] })).stdout, req.app, req.network);
          if (left.length > 0) throw new RemoteCommandError(h.id, left[0]!, 1, `${left.length} isolation rules of ${req.app} are still there after removing them`);
          return `${h.id}: ${removals.length} rules`;
        }),
      );
    },
  };
}

/** The Linux bridge behind a bridge network on one engine; undefined when the network is not there. */
async function bridgeInterface(docker: Docker, where: string, name: string): Promise<string | undefined> {
  try {
    const info = (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    return info.Options?.['com.docker.network.bridge.name'] ?? `br-${info.Id.slice(0, 12)}`;
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw dockerError(where, `inspect network ${name}`, err);
  }
}
