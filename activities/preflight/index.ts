// The preflight's activities that touch the world beside Temporal: the worker's secret store
// and the chosen hosts' engines. (The dry run asks the infrastructure: ./admissionDryRun.ts,
// registered with the placement activities.)
import type { HostCheckRequest } from '../../domain/application/preflightProblems';
import type { DockerClientFactory } from '../docker/dockerClient';
import { whileBeating } from '../heartbeatTicker';
import type { SecretStore } from '../secrets/secretStore';
import { checkHost } from './hostChecks';
import { missingSecrets } from './secretsPresent';

export function preflightActivities(docker: DockerClientFactory, secrets: SecretStore) {
  return {
    /** Names of the secrets the store does not have; never a value. */
    async missingSecrets(req: { names: string[] }): Promise<string[]> {
      return missingSecrets(secrets, req.names);
    },
    /** Heartbeats while it looks (registries may be slow): its caller waits 10 s, not minutes, on a dead worker. */
    async checkHost(req: HostCheckRequest) {
      return whileBeating(() => checkHost(docker, req));
    },
  };
}
