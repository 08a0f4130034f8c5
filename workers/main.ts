// A worker process: `clocker worker`, `clocker up`'s child, and the docker-compose service.
// It stops cleanly on SIGINT/SIGTERM (the SDK finishes in-flight tasks first).
import { describeConnection, temporalConfig } from '../client/temporal/config';
import { connectClient } from '../client/temporal/connect';
import { ensureSearchAttributes } from '../client/temporal/searchAttributes';
import { clockerDataConverter } from '../client/temporal/encryption/dataConverter';
import { createClockerWorker } from './createWorker';

/**
 * Workflows set Clocker's search attributes, which a server must know first. The dev server
 * gets them as flags; on another server a worker registers them, or says why it could not.
 */
async function registerSearchAttributes(config: ReturnType<typeof temporalConfig>): Promise<void> {
  const client = await connectClient(config);
  try {
    await ensureSearchAttributes(client, config.namespace);
  } catch (err) {
    console.warn(
      `clocker worker: could not register search attributes (${err instanceof Error ? err.message : String(err)}); ` +
        'workflows will fail to start until an operator adds ClockerKind, ClockerApp, ClockerService, ClockerInfra, ClockerStatus (Keyword)',
    );
  } finally {
    await client.connection.close();
  }
}

async function main(): Promise<void> {
  const config = temporalConfig();
  await registerSearchAttributes(config);
  const { worker, close } = await createClockerWorker(config);
  console.log(`clocker worker: task queue "${config.taskQueue}" on ${describeConnection(config)}${clockerDataConverter() ? ', payloads encrypted' : ''}`);
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
