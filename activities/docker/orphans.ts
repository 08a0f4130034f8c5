// Member containers nobody books any more: the members written off when their host failed
// (their services replaced them elsewhere) are still there when the host comes back, and an
// application's destroy finds whatever a service that ended badly left. Found by label, so
// only Clocker's own member containers are ever considered.
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { LABEL, containerName, type MemberRef } from '../../domain/naming';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';

export interface RemoveOrphansInput {
  endpoint: DockerEndpoint;
  /** The members booked on this host: their containers stay. */
  keep: MemberRef[];
}

/**
 * Force-removes the member containers on one engine that carry `labels` (`key=value` filters,
 * beside "managed, with a member label") and are not in `keep`; answers their names.
 */
export async function removeMemberContainers(docker: Docker, where: string, labels: string[], keep: MemberRef[] = []): Promise<string[]> {
  const kept = new Set(keep.map(containerName));
  const found = await docker
    .listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, LABEL.member, ...labels] } })
    .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)));
  const removed: string[] = [];
  for (const c of found) {
    const labelsOf = c.Labels ?? {};
    const name = containerName({ app: labelsOf[LABEL.app] ?? '', service: labelsOf[LABEL.service] ?? '', member: labelsOf[LABEL.member] ?? '' });
    if (kept.has(name)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true });
      removed.push(name);
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw dockerError(where, `remove container ${name}`, err);
    }
  }
  return removed;
}

export function orphanActivities(dockerFor: DockerClientFactory) {
  return {
    /** Removes every Clocker member container on the host that is not in `keep`; answers their names. */
    async removeOrphanContainers({ endpoint, keep }: RemoveOrphansInput): Promise<string[]> {
      return removeMemberContainers(dockerFor(endpoint), describeEndpoint(endpoint), [], keep);
    },
  };
}
