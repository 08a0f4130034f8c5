// Member containers nobody books any more: the members written off when their host failed
// (their services replaced them elsewhere) are still there when the host comes back, and an
// application's destroy finds whatever a service that ended badly left. Found by label, so
// only Clocker's own member containers are ever considered; on a host that two infrastructures
// share, each sweeps only the containers labelled as its own (and those of earlier releases,
// which carry no infrastructure label, as before).
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { LABEL, containerName, type MemberRef } from '../../domain/naming';
import { describeEndpoint, type DockerClientFactory } from './dockerClient';
import { dockerError, statusCodeOf } from './dockerErrors';

export interface RemoveOrphansInput {
  endpoint: DockerEndpoint;
  /** The members booked on this host: their containers stay. */
  keep: MemberRef[];
  /** The infrastructure sweeping: another's containers stay (infrastructures of earlier releases do not send it). */
  infrastructure?: string;
}

/**
 * Force-removes the member containers on one engine that carry `labels` (`key=value` filters,
 * beside "managed, with a member label") and are not in `keep`, nor labelled as another
 * infrastructure's than `infrastructure`; answers their names.
 */
export async function removeMemberContainers(docker: Docker, where: string, labels: string[], keep: MemberRef[] = [], infrastructure?: string): Promise<string[]> {
  const kept = new Set(keep.map(containerName));
  const found = await docker
    .listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, LABEL.member, ...labels] } })
    .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)));
  const removed: string[] = [];
  for (const c of found) {
    const labelsOf = c.Labels ?? {};
    const name = containerName({ app: labelsOf[LABEL.app] ?? '', service: labelsOf[LABEL.service] ?? '', member: labelsOf[LABEL.member] ?? '' });
    if (kept.has(name)) continue;
    const owner = labelsOf[LABEL.infrastructure];
    if (infrastructure !== undefined && owner !== undefined && owner !== infrastructure) continue;
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
    /** Removes every Clocker member container on the host that is not in `keep` (nor another infrastructure's); answers their names. */
    async removeOrphanContainers({ endpoint, keep, infrastructure }: RemoveOrphansInput): Promise<string[]> {
      return removeMemberContainers(dockerFor(endpoint), describeEndpoint(endpoint), [], keep, infrastructure);
    },
  };
}
