// Containers Clocker made that nobody books any more: the members written off when their host
// failed (their services replaced them elsewhere) are still there when the host comes back.
// Found by label, so only Clocker's own member containers are ever considered.
import type { DockerEndpoint } from '../../domain/infra/model';
import { LABEL, containerName, type MemberRef } from '../../domain/naming';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';

export interface RemoveOrphansInput {
  endpoint: DockerEndpoint;
  /** The members booked on this host: their containers stay. */
  keep: MemberRef[];
}

export function orphanActivities(dockerFor: DockerClientFactory) {
  return {
    /** Removes every Clocker member container on the host that is not in `keep`; answers their names. */
    async removeOrphanContainers({ endpoint, keep }: RemoveOrphansInput): Promise<string[]> {
      const docker = dockerFor(endpoint);
      const where = describeEndpoint(endpoint);
      const kept = new Set(keep.map(containerName));
      const found = await docker
        .listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, LABEL.member] } })
        .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)));
      const removed: string[] = [];
      for (const c of found) {
        const labels = c.Labels ?? {};
        const ref = { app: labels[LABEL.app] ?? '', service: labels[LABEL.service] ?? '', member: labels[LABEL.member] ?? '' };
        if (kept.has(containerName(ref))) continue;
        try {
          await docker.getContainer(c.Id).remove({ force: true });
          removed.push(containerName(ref));
        } catch (err) {
          if (statusCodeOf(err) !== 404) throw dockerError(where, `remove orphan container ${containerName(ref)}`, err);
        }
      }
      return removed;
    },
  };
}
