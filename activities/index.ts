// Every activity the worker registers, built from its dependencies so tests can pass fakes
// for the edges (Temporal samples: activities-dependency-injection).
import type { Client } from '@temporalio/client';
import { containerActivities } from './docker/containers';
import type { DockerClientFactory } from './docker/dockerClient';
import { healthActivities } from './docker/health';
import { placementActivities } from './infrastructure/placement';

export interface ActivityDeps {
  docker: DockerClientFactory;
  temporal: Client;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...containerActivities(deps.docker),
    ...healthActivities(deps.docker),
    ...placementActivities(deps.temporal),
  };
}

export type Activities = ReturnType<typeof createActivities>;
