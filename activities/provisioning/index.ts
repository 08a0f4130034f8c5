// The provisioning and host-probe activities, as one group for activities/index.ts.
import type { DockerClientFactory } from '../docker/dockerClient';
import { dockerProbeActivities } from '../hosts/dockerProbe';
import type { SecretStore } from '../secrets/secretStore';
import { hostStepActivities } from './hostSteps';

export function provisioningActivities(deps: { docker: DockerClientFactory; secrets: SecretStore }) {
  return { ...hostStepActivities(deps.secrets), ...dockerProbeActivities(deps.docker) };
}
