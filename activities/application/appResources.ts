// When an application is destroyed, its networks, named volumes and any member container still
// there (an orphan: every service has ended) go from every host its services used
// (delete-if-present, found by label, so a retry or a second destroy is harmless).
import type { DockerEndpoint } from '../../domain/infra/model';
import { describeEndpoint, type DockerClientFactory } from '../docker/dockerClient';
import { whileBeating } from '../heartbeatTicker';
import { removeAppResourcesOn } from '../docker/networks';

export function appResourceActivities(dockerFor: DockerClientFactory) {
  return {
    async removeAppResources({ app, endpoints }: { app: string; endpoints: DockerEndpoint[] }): Promise<string[]> {
      return whileBeating(async () => {
        const removed: string[] = [];
        for (const endpoint of endpoints) {
          const where = describeEndpoint(endpoint);
          removed.push(...(await removeAppResourcesOn(dockerFor(endpoint), where, app)).map((r) => `${r} on ${where}`));
        }
        return removed;
      });
    },
  };
}
