// Application networks on a Docker host: created if absent (adopted when Clocker made it for
// this application), removed by label when the application is destroyed.
//
// Two creates of one network can race (two services' members on a host, or the application's
// up-front ensure and a member's): Docker checks the name, then allocates the pool, so the loser
// is told either 409 (name taken) or, on Docker 20.10, 403 "Pool overlaps" (the winner holds
// the subnet). Either answer is settled by looking: ours is adopted; a network holding the pool
// that is not ours is named in the error.
import type Docker from 'dockerode';
import type { NetworkSpec } from '../../domain/blueprint/model';
import type { DockerEndpoint } from '../../domain/infra/model';
import { LABEL, networkLabels, networkName } from '../../domain/naming';
import { blockSize, formatAddress, overlaps, parseCidr } from '../../domain/ipam/addressMath';
import { NameConflictError, NotInSwarmError, StaleNetworkError, SubnetTakenError, UnsupportedFeatureError } from '../errors';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, engineMessageOf, statusCodeOf } from './dockerErrors';
import { removeMemberContainers } from './orphans';

export type NetworkToEnsure = Pick<NetworkSpec, 'id' | 'driver' | 'cidr' | 'gateway' | 'labels' | 'encrypted'>;

export function networkCreateOptions(app: string, n: NetworkToEnsure): Docker.NetworkCreateOptions {
  const options: Docker.NetworkCreateOptions = {
    Name: networkName(app, n.id, n.driver),
    Driver: n.driver === 'overlay' ? 'overlay' : 'bridge',
    CheckDuplicate: true,
    Labels: { ...n.labels, ...networkLabels(app, n.id) },
  };
  // Attachable: members are plain containers (not swarm services) on any swarm node.
  if (n.driver === 'overlay') options.Attachable = true;
  // IPsec between hosts; the application asked every host's kernel first (activities/network/overlayEncryption.ts).
  if (n.driver === 'overlay' && n.encrypted) options.Options = { encrypted: '' };
  // Routed: members keep their addresses between hosts (routes, not NAT); routed.ts masquerades only what leaves the network.
  if (n.driver === 'routed') options.Options = { 'com.docker.network.bridge.enable_ip_masquerade': 'false' };
  if (n.cidr) {
    const range = dockerRange(n.cidr);
    options.IPAM = { Driver: 'default', Config: [{ Subnet: n.cidr, ...(n.gateway ? { Gateway: n.gateway } : {}), ...(range ? { IPRange: range } : {}) }] };
  }
  return options;
}

/**
 * The upper half of an IPv4 subnet, where Docker picks the addresses it hands out itself (a
 * swarm node's attachment to an overlay network, a container given no address): members take
 * theirs from IPAM, which counts up from the bottom, so the two never pick the same one while
 * the network has fewer members than half its size.
 */
export function dockerRange(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (typeof parsed === 'string' || parsed.family !== 4 || parsed.prefixLength > 28) return undefined;
  const half = blockSize(4, parsed.prefixLength) / 2n;
  return `${formatAddress(parsed.base + half, 4)}/${parsed.prefixLength + 1}`;
}

export function networkActivities(dockerFor: DockerClientFactory) {
  return {
    async ensureNetwork({ endpoint, app, network }: { endpoint: DockerEndpoint; app: string; network: NetworkToEnsure }): Promise<string> {
      // A routed network's per-host bridge (activities/network/routed.ts gives it the host's block).
      if (network.driver !== 'bridge' && network.driver !== 'overlay' && network.driver !== 'routed') {
        throw new UnsupportedFeatureError(`network driver "${network.driver}" (network ${network.id}); "bridge" (one host), "overlay" (a swarm) and "routed" work so far`);
      }
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const name = networkName(app, network.id, network.driver);
      if (network.driver === 'overlay') {
        // An overlay network lives in the swarm: made on a manager, usable from every node.
        // A worker cannot create or always see it; it needs only to be in the swarm.
        const swarm = ((await docker.info().catch((err: unknown) => Promise.reject(dockerError(where, 'docker info', err)))) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }).Swarm;
        if (swarm?.LocalNodeState !== 'active') throw new NotInSwarmError(where, name, swarm?.LocalNodeState ?? 'unknown');
        if (!swarm.ControlAvailable) return name;
      }
      /** Ours by its labels: its id; ours but on another subnet and empty: removed, undefined (make it anew). */
      const adopt = async (existing: Docker.NetworkInspectInfo): Promise<string | undefined> => {
        if (existing.Labels?.[LABEL.app] !== app || existing.Labels?.[LABEL.network] !== network.id) throw new NameConflictError('network', name, where);
        const subnets = (existing.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : []));
        if (network.cidr === undefined || subnets.length === 0 || subnets.includes(network.cidr)) return existing.Id;
        // Left by an earlier deployment of this name (its records gone): the members' addresses
        // would not fit it ("Invalid address … does not belong to any of this network's subnets").
        const attached = Object.values(existing.Containers ?? {}).map((c) => c.Name);
        if (attached.length > 0) throw new StaleNetworkError(where, name, subnets.join(', '), network.cidr, attached.join(', '));
        await docker
          .getNetwork(existing.Id)
          .remove()
          .catch((err: unknown) => (statusCodeOf(err) === 404 ? undefined : Promise.reject(dockerError(where, `remove network ${name} (left on ${subnets.join(', ')})`, err))));
        return undefined;
      };
      const existing = await inspectNetwork(docker, where, name);
      const kept = existing && (await adopt(existing));
      if (kept) return kept;
      for (let attempt = 1; ; attempt++) {
        try {
          const created = await docker.createNetwork(networkCreateOptions(app, network));
          return created.id;
        } catch (err) {
          if (!isCreateRace(err)) throw dockerError(where, `create network ${name}`, err);
          const winner = await inspectSoon(docker, where, name);
          const won = winner && (await adopt(winner));
          if (won) return won;
          if (winner) {
            // A stale one, removed: create again.
            if (attempt >= CREATE_ATTEMPTS) throw dockerError(where, `create network ${name}`, err);
            continue;
          }
          if (statusCodeOf(err) !== 403 || !network.cidr) throw dockerError(where, `create network ${name}`, err);
          const holder = await poolHolder(docker, where, network.cidr);
          if (holder) throw new SubnetTakenError(where, name, network.cidr, holder);
          // The network that held the subnet is gone already (another installation's, made and
          // removed in the meantime — seen in CI with test files sharing one engine): ask again.
          if (attempt >= CREATE_ATTEMPTS) throw dockerError(where, `create network ${name}`, err);
        }
      }
    },
  };
}

/** Creates asked again when the engine said the subnet was taken but no network holds it any more. */
const CREATE_ATTEMPTS = 3;

/** 409 (the name is taken) or 403 "Pool overlaps" / "overlapping" (the subnet is): another create may have won. */
function isCreateRace(err: unknown): boolean {
  const code = statusCodeOf(err);
  const message = engineMessageOf(err);
  // With an IPRange (dockerRange) the overlap is found by the bridge driver instead: "networks have overlapping IPv4".
  return code === 409 || (code === 403 && /pool overlaps|networks have overlapping/i.test(message));
}

/**
 * The network by name, looked for a few times over a second: the winner of a race holds the
 * pool a moment before its network can be inspected.
 */
async function inspectSoon(docker: Docker, where: string, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await inspectNetwork(docker, where, name);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

/** "network NAME (SUBNET)" of a network on the engine whose subnet overlaps `cidr`, if any. */
async function poolHolder(docker: Docker, where: string, cidr: string): Promise<string | undefined> {
  const wanted = parseCidr(cidr);
  if (typeof wanted === 'string') return undefined;
  const networks = await docker.listNetworks().catch((err: unknown) => Promise.reject(dockerError(where, 'list networks', err)));
  for (const n of networks) {
    for (const c of n.IPAM?.Config ?? []) {
      const held = c.Subnet ? parseCidr(c.Subnet) : undefined;
      if (held !== undefined && typeof held !== 'string' && overlaps(held, wanted)) return `network ${n.Name} (${c.Subnet})`;
    }
  }
  return undefined;
}

async function inspectNetwork(docker: Docker, where: string, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw dockerError(where, `inspect network ${name}`, err);
  }
}

/** Removes the application's networks and named volumes on one host; returns what it removed. */
export async function removeAppResourcesOn(docker: Docker, where: string, app: string): Promise<string[]> {
  const filters = { label: [`${LABEL.app}=${app}`, `${LABEL.managed}=true`] };
  const networks = await docker.listNetworks({ filters }).catch((err: unknown) => Promise.reject(dockerError(where, 'list networks', err)));
  const volumes = await docker.listVolumes({ filters }).catch((err: unknown) => Promise.reject(dockerError(where, 'list volumes', err)));
  const removed: string[] = [];
  // Member containers still there now are orphans (every service has ended): written off on a
  // host that failed and came back, say. They go first, or the networks would be in use.
  removed.push(...(await removeMemberContainers(docker, where, [`${LABEL.app}=${app}`])).map((name) => `container ${name}`));
  // A swarm-scoped (overlay) network is removed by a manager; a worker's copy goes with it.
  const manager = networks.some((n) => n.Scope === 'swarm') ? ((await docker.info().catch((err: unknown) => Promise.reject(dockerError(where, 'docker info', err)))) as { Swarm?: { ControlAvailable?: boolean } }).Swarm?.ControlAvailable === true : false;
  for (const n of networks.filter((x) => x.Scope !== 'swarm' || manager)) {
    if (await removeIfPresent(where, `network ${n.Name}`, () => onceAttachmentsGo(() => docker.getNetwork(n.Id).remove()))) removed.push(`network ${n.Name}`);
  }
  for (const v of volumes.Volumes ?? []) if (await removeIfPresent(where, `volume ${v.Name}`, () => docker.getVolume(v.Name).remove())) removed.push(`volume ${v.Name}`);
  return removed;
}

/**
 * Every manager sweeps an overlay network (each host is swept on its own): one removes it, and
 * a manager that looked it up a moment before is told 500 "network <id> not found" by the swarm.
 */
function isSwarmRemovalRace(err: unknown): boolean {
  const message = engineMessageOf(err);
  return statusCodeOf(err) === 500 && /network \S+ not found/i.test(message);
}

/**
 * A container just removed on another node of the swarm leaves its overlay attachment task a
 * moment longer (a second or so on a loaded host): until it goes, the manager refuses the
 * network's removal with 400 "network <id> is in use by task <id>".
 */
function isAttachmentLingering(err: unknown): boolean {
  const message = engineMessageOf(err);
  return statusCodeOf(err) === 400 && /is in use by task/i.test(message);
}

/** How long an overlay's removal waits out its departed containers' attachment tasks. */
const ATTACHMENT_WAIT_MS = 20_000;

/** Runs `remove`, again every 250 ms while the swarm still counts departed containers' attachments (then its refusal stands). */
export async function onceAttachmentsGo<T>(remove: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ATTACHMENT_WAIT_MS;
  for (;;) {
    try {
      return await remove();
    } catch (err) {
      if (!isAttachmentLingering(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Delete-if-present: true when removed, false when it was already gone. */
async function removeIfPresent(where: string, what: string, remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (err) {
    if (statusCodeOf(err) === 404 || isSwarmRemovalRace(err)) return false;
    throw dockerError(where, `remove ${what}`, err);
  }
}
