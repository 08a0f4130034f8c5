// Every activity the worker registers, built from its dependencies so tests can pass fakes
// for the edges (Temporal samples: activities-dependency-injection).
import type { Client } from '@temporalio/client';
import { appResourceActivities } from './application/appResources';
import { containerActivities, memberContainers } from './docker/containers';
import type { DockerClientFactory } from './docker/dockerClient';
import { healthActivities, healthWait } from './docker/health';
import { startMemberActivities } from './docker/startMember';
import { memberCommandActivities } from './docker/memberCommands';
import { networkActivities } from './docker/networks';
import { isolationActivities } from './network/isolation';
import { overlayEncryptionActivities } from './network/overlayEncryption';
import { sharedNetworkActivities } from './network/sharedNetworks';
import { routedNetworkActivities } from './network/routed';
import { routedNameActivities } from './network/routedNames';
import { swarmActivities } from './docker/swarm';
import { swarmRepairActivities } from './docker/swarmRepair';
import { orphanActivities } from './docker/orphans';
import { placementActivities } from './infrastructure/placement';
import { monitoringActivities } from './monitoring/hostWatcher';
import { serviceMetricActivities } from './monitoring/serviceMetrics';
import { preflightActivities } from './preflight';
import { provisioningActivities } from './provisioning';
import type { SecretStore } from './secrets/secretStore';

export interface ActivityDeps {
  docker: DockerClientFactory;
  temporal: Client;
  secrets: SecretStore;
}

export function createActivities(deps: ActivityDeps) {
  // One create path and one health wait, shared by the activities that take them step by step and by startMember.
  const members = memberContainers(deps.docker, deps.secrets, deps.temporal);
  const waitHealth = healthWait(deps.docker, deps.secrets);
  return {
    ...containerActivities(deps.docker, deps.secrets, deps.temporal, members),
    ...healthActivities(waitHealth),
    ...startMemberActivities(members, waitHealth),
    ...memberCommandActivities(deps.docker, deps.secrets),
    ...networkActivities(deps.docker),
    ...isolationActivities(deps.temporal, deps.docker, deps.secrets),
    ...overlayEncryptionActivities(deps.temporal, deps.secrets),
    ...sharedNetworkActivities(deps.temporal, deps.docker),
    ...routedNetworkActivities(deps.temporal, deps.docker, deps.secrets),
    ...routedNameActivities(deps.temporal, deps.docker),
    ...swarmActivities(deps.docker, deps.temporal),
    ...swarmRepairActivities(deps.docker),
    ...orphanActivities(deps.docker),
    ...appResourceActivities(deps.docker),
    ...placementActivities(deps.temporal, deps.docker, { monitorHosts: true }),
    ...monitoringActivities(deps.temporal, deps.docker, deps.secrets),
    ...serviceMetricActivities(deps.docker),
    ...provisioningActivities(deps),
    ...preflightActivities(deps.docker, deps.secrets),
  };
}

export type Activities = ReturnType<typeof createActivities>;
