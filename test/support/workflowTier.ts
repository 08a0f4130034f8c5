// The workflow tier's setup, in one place: a real Temporal dev server, one worker on the shared
// workflow bundle with the placement activities and a FakeEngine in place of Docker, a client,
// and infrastructures of fake hosts to deploy onto.
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { placementActivities } from '../../activities/infrastructure/placement';
import { ClockerClient } from '../../client/clockerClient';
import type { InfrastructureSpec } from '../../domain/infra/model';
import type { FakeEngine } from './fakeEngine';
import { startTestEnv, workflowBundle } from './temporalEnv';

export interface WorkflowTier {
  env: TestWorkflowEnvironment;
  clocker: ClockerClient;
  /** Stops the worker, runs `afterWorker` (e.g. saving histories while nothing changes them), then the server. */
  stop(afterWorker?: () => Promise<void>): Promise<void>;
}

/** `activities`: what the worker registers; by default the placement activities and the engine's. */
export async function startWorkflowTier(
  taskQueue: string,
  engine: FakeEngine,
  activities: (client: Client) => object = (client) => ({ ...placementActivities(client), ...engine.activities() }),
): Promise<WorkflowTier> {
  const env = await startTestEnv();
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: activities(env.client) });
  const running = worker.run();
  return {
    env,
    clocker: new ClockerClient(env.client, taskQueue),
    async stop(afterWorker) {
      worker.shutdown();
      await running;
      await afterWorker?.();
      await env.teardown();
    },
  };
}

export interface FakeHostsOptions {
  count?: number;
  maxContainers?: number;
  address?: (i: number) => string;
  /** The name the fake engine knows the host's Docker by (FakeEngine keys containers by it). */
  dockerHost?: (id: string) => string;
}

/** An infrastructure of AVAILABLE fake hosts h1..hN at 192.0.2.x (documentation addresses, never reached). */
export function fakeHosts(name: string, { count = 2, maxContainers = 3, address = (i) => `192.0.2.${i + 1}`, dockerHost = (id) => id }: FakeHostsOptions = {}): InfrastructureSpec {
  return {
    name,
    hosts: Array.from({ length: count }, (_, i) => {
      const id = `h${i + 1}`;
      return { id, address: address(i), docker: { kind: 'tcp' as const, host: dockerHost(id), port: 2375 }, status: 'AVAILABLE' as const, labels: {}, maxContainers };
    }),
  };
}

export interface ReplayReport {
  replayed: number;
  /** One line per history that no longer replays: workflow id, run id, the error. */
  failures: string[];
}

/**
 * Replays every application and service history on the tier's server against the workflow bundle.
 * Workflow tests end with it: whatever they made the workflows do must replay deterministically.
 */
export async function replayEveryHistory(env: TestWorkflowEnvironment): Promise<ReplayReport> {
  const histories = env.client.workflow.list({ query: `WorkflowType = 'application' OR WorkflowType = 'service'` }).intoHistories();
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId} (${result.runId}): ${result.error.message}`);
  }
  return { replayed, failures };
}
