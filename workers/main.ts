// A worker process: `clocker worker`, `clocker up`'s child, and the docker-compose service.
// It stops cleanly on SIGINT/SIGTERM (the SDK finishes in-flight tasks first).
import { describeConnection, temporalConfig } from '../client/temporal/config';
import { connectClient } from '../client/temporal/connect';
import { ensureSearchAttributes } from '../client/temporal/searchAttributes';
import { clockerDataConverter } from '../client/temporal/encryption/dataConverter';
import { createClockerWorker } from './createWorker';
import { ensureMonitorsForBookedHosts } from '../activities/monitoring/ensureMonitor';
import { installTelemetry } from './telemetry';
import { telemetryConfig } from './telemetryConfig';

// Before anything else touches the SDK: the runtime is installed once per process.
const telemetry = telemetryConfig(process.env);
const log = installTelemetry(telemetry);

/**
 * Workflows set Clocker's search attributes, which a server must know first. The dev server
 * gets them as flags; on another server a worker registers them, or says why it could not.
 */
async function registerSearchAttributes(config: ReturnType<typeof temporalConfig>): Promise<void> {
  const client = await connectClient(config);
  try {
    await ensureSearchAttributes(client, config.namespace);
  } catch (err) {
    log.warn(
      `clocker worker: could not register search attributes (${err instanceof Error ? err.message : String(err)}); ` +
        'workflows will fail to start until an operator adds ClockerKind, ClockerApp, ClockerService, ClockerInfra, ClockerStatus (Keyword)',
    );
  } finally {
    await client.connection.close();
  }
}

/** Hosts holding members get their monitor (members placed before monitoring existed included); a failure is said, not fatal. */
async function ensureMonitors(config: ReturnType<typeof temporalConfig>): Promise<void> {
  try {
    const client = await connectClient(config, { dataConverter: clockerDataConverter() ?? null });
    try {
      const ensured = await ensureMonitorsForBookedHosts(client);
      if (ensured > 0) log.info(`clocker worker: ${ensured} host monitor${ensured === 1 ? '' : 's'} ensured`);
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    log.warn(`clocker worker: could not ensure host monitors (${err instanceof Error ? err.message : String(err)}); their members are watched once placed again`);
  }
}

async function main(): Promise<void> {
  const config = temporalConfig();
  await registerSearchAttributes(config);
  const { worker, workflows, close } = await createClockerWorker(config);
  log.info(`clocker worker: task queue "${config.taskQueue}" on ${describeConnection(config)}${clockerDataConverter() ? ', payloads encrypted' : ''}`);
  log.info(`clocker worker: ${workflows}`);
  if (telemetry.metricsAddress) log.info(`clocker worker: Prometheus metrics at http://${telemetry.metricsAddress}/metrics`);
  void ensureMonitors(config);
  try {
    await worker.run();
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
