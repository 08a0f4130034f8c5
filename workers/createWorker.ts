// Builds a worker that runs every Clocker workflow and activity on one task queue.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createActivities, type Activities } from '../activities';
import { createDockerClientFactory } from '../activities/docker/dockerClient';
import { createSecretStore } from '../activities/secrets/secretStore';
import type { TemporalConfig } from '../client/temporal/config';
import { connectClient, connectionOptions } from '../client/temporal/connect';
import { clockerDataConverter } from '../client/temporal/encryption/dataConverter';
import { activityMetrics } from './activityMetrics';
import { workflowInterceptorModules, workflowSource } from './workflowBundle';

export { workflowInterceptorModules, workflowsPath } from './workflowBundle';

/**
 * Activities one worker runs at once. Clocker's wait on Docker, SSH and health probes, not on
 * this process's CPU, and a service schedules every member's start at once, so the SDK's default
 * of 100 held the rest of a 200-member deploy in the queue (6.4 s on average,
 * bench/createPath.bench.ts MEMBERS=200) while the engine could take them. Host watchers hold a
 * slot each for as long as they run.
 */
const ACTIVITY_SLOTS = 500;

export interface ClockerWorker {
  worker: Worker;
  /** Where its workflow code came from, for the log. */
  workflows: string;
  /** Closes the connections the worker opened; call after `worker.run()` returns. */
  close(): Promise<void>;
}

export async function createClockerWorker(
  config: TemporalConfig,
  extra: Partial<Pick<WorkerOptions, 'workflowBundle' | 'identity' | 'shutdownGraceTime'>> & {
    /** Benches only: activities put in place of the real ones (simulated hosts), every other setting as shipped. */
    simulated?: (temporal: Client) => Partial<Activities>;
    /** Benches only: SDK settings measured against the shipped ones (bench/workerMemorySimulated.bench.ts KNOBS=1). */
    tuning?: Partial<Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskPolls' | 'maxConcurrentWorkflowTaskPolls'>>;
  } = {},
): Promise<ClockerWorker> {
  const native = await NativeConnection.connect(connectionOptions(config));
  // Activities that talk to other workflows (placement Updates) need a client too; it and the
  // worker share one data converter (the encrypting codec when a keyring is configured).
  const dataConverter = clockerDataConverter();
  const temporal = await connectClient(config, { dataConverter: dataConverter ?? null });
  const source = extra.workflowBundle ? { options: { workflowBundle: extra.workflowBundle }, description: 'workflows from a given bundle' } : workflowSource();
  const worker = await Worker.create({
    connection: native,
    namespace: config.namespace,
    ...(dataConverter ? { dataConverter } : {}),
    taskQueue: config.taskQueue,
    ...source.options,
    activities: { ...createActivities({ docker: createDockerClientFactory(), temporal, secrets: createSecretStore() }), ...extra.simulated?.(temporal) },
    // Activity summaries for the Web UI and Clocker's metrics: bundled now, or carried by the
    // bundle file (writeWorkflowBundle includes workflowInterceptorModules()).
    interceptors: { ...(source.options.workflowsPath ? { workflowModules: workflowInterceptorModules() } : {}), activity: [activityMetrics] },
    ...(extra.identity ? { identity: extra.identity } : {}),
    shutdownGraceTime: extra.shutdownGraceTime ?? '10s',
    // A heartbeat reaches the server at most this long after it is sent (else 80% of the
    // heartbeat timeout, 8 s): a member's step (pulling, creating…) shows while it happens.
    maxHeartbeatThrottleInterval: '1s',
    maxConcurrentActivityTaskExecutions: ACTIVITY_SLOTS,
    ...extra.tuning,
  });
  return {
    worker,
    workflows: source.description,
    async close() {
      await temporal.connection.close();
      await native.close();
    },
  };
}
