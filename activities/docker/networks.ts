// Application networks on a Docker host: created if absent (adopted when Clocker made it for
// this application), removed by label when the application is destroyed.
import type Docker from 'dockerode';
import type { NetworkSpec } from '../../domain/blueprint/model';
import type { DockerEndpoint } from '../../domain/infra/model';
import { LABEL, networkLabels, networkName } from '../../domain/naming';
import { NameConflictError, UnsupportedFeatureError } from '../errors';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';
import { removeMemberContainers } from './orphans';

export type NetworkToEnsure = Pick<NetworkSpec, 'id' | 'driver' | 'cidr' | 'gateway' | 'labels'>;

export function networkCreateOptions(app: string, n: NetworkToEnsure): Docker.NetworkCreateOptions {
  const options: Docker.NetworkCreateOptions = {
    Name: networkName(app, n.id),
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { ...n.labels, ...networkLabels(app, n.id) },
  };
  if (n.cidr) options.IPAM = { Driver: 'default', Config: [{ Subnet: n.cidr, ...(n.gateway ? { Gateway: n.gateway } : {}) }] };
  return options;
}

export function networkActivities(dockerFor: DockerClientFactory) {
  return {
    async ensureNetwork({ endpoint, app, network }: { endpoint: DockerEndpoint; app: string; network: NetworkToEnsure }): Promise<string> {
      if (network.driver !== 'bridge') {
        throw new UnsupportedFeatureError(`network driver "${network.driver}" (network ${network.id}); only "bridge" (one host) works so far`);
      }
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const name = networkName(app, network.id);
      const existing = await inspectNetwork(docker, where, name);
      if (existing) {
        if (existing.Labels?.[LABEL.app] !== app || existing.Labels?.[LABEL.network] !== network.id) throw new NameConflictError('network', name, where);
        return existing.Id;
      }
      try {
        const created = await docker.createNetwork(networkCreateOptions(app, network));
        return created.id;
      } catch (err) {
        // 409: a concurrent attempt (another service's member on this host) created it first.
        if (statusCodeOf(err) === 409) return (await inspectNetwork(docker, where, name))?.Id ?? name;
        throw dockerError(where, `create network ${name}`, err);
      }
    },
  };
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
  for (const n of networks) if (await removeIfPresent(where, `network ${n.Name}`, () => docker.getNetwork(n.Id).remove())) removed.push(`network ${n.Name}`);
  for (const v of volumes.Volumes ?? []) if (await removeIfPresent(where, `volume ${v.Name}`, () => docker.getVolume(v.Name).remove())) removed.push(`volume ${v.Name}`);
  return removed;
}

/** Delete-if-present: true when removed, false when it was already gone. */
async function removeIfPresent(where: string, what: string, remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (err) {
    if (statusCodeOf(err) === 404) return false;
    throw dockerError(where, `remove ${what}`, err);
  }
}
