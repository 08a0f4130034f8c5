// A worker process: `clocker worker`, `clocker up`'s child, and the docker-compose service.
// It stops cleanly on SIGINT/SIGTERM (the SDK finishes in-flight tasks first).
import { temporalConfig } from '../client/temporal/config';
import { createClockerWorker } from './createWorker';

async function main(): Promise<void> {
  const config = temporalConfig();
  const { worker, close } = await createClockerWorker(config);
  console.log(`clocker worker: task queue "${config.taskQueue}" on ${config.address} (namespace ${config.namespace})`);
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
