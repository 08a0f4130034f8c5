// Every application gets a default network, as Compose gives each project one: services that
// name no network join it, and reach each other by service id on it (Docker's embedded DNS
// answers container aliases on user-defined networks, never on the engine's `bridge`). Its
// subnet comes from the infrastructure's IPAM like any declared network's. It names no driver,
// like a declared network without `driver:`: the application gives it its infrastructure's
// (domain/network/defaultDriver.ts): a bridge on one host, Docker's swarm overlay across
// several, so names and addresses reach members on every host.
import type { NetworkSpec, ServiceSpec } from '../model';

export const DEFAULT_NETWORK_ID = 'default';

export function defaultNetworkSpec(): NetworkSpec {
  return { id: DEFAULT_NETWORK_ID, dnsServers: [], shared: false, addIptablesRules: false, labels: {} };
}

/**
 * Services with no `networks` are attached to the default network, which is added to the
 * declared ones (last) when any service joins it; a declared network with that id is used as is.
 */
export function joinDefaultNetwork(networks: NetworkSpec[], services: ServiceSpec[]): NetworkSpec[] {
  const joining = services.filter((s) => s.networks.length === 0);
  if (joining.length === 0) return networks;
  for (const s of joining) s.networks = [{ network: DEFAULT_NETWORK_ID, aliases: [] }];
  return networks.some((n) => n.id === DEFAULT_NETWORK_ID) ? networks : [...networks, defaultNetworkSpec()];
}

/** The first network both services join (in the linking service's order), where a link's name resolves. */
export function sharedNetwork(from: ServiceSpec, to: ServiceSpec): string | undefined {
  return from.networks.find((a) => to.networks.some((b) => b.network === a.network))?.network;
}

/**
 * A Docker link's alias becomes a name of the target's members on the network the two share,
 * so `nc redis 6379` works from the linking container as it did with `docker run --link`.
 */
export function addLinkAlias(target: ServiceSpec, network: string, alias: string): void {
  const attachment = target.networks.find((a) => a.network === network);
  if (!attachment || alias === target.id || attachment.aliases.includes(alias)) return;
  attachment.aliases.push(alias);
}
