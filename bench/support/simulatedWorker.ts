// A worker process for simulated hosts (bench/workerMemorySimulated.bench.ts): the product's
// worker (createClockerWorker: the same SDK settings, workflows and placement activities) with
// the Docker-facing activities answered by an in-memory engine, so a thousand members cost the
// worker what they cost it and nothing on this machine. Benches only; the e2e tests never use it.
import { createClockerWorker } from '../../workers/createWorker';
import { installTelemetry } from '../../workers/telemetry';
import { telemetryConfig } from '../../workers/telemetryConfig';
import { temporalConfig } from '../../client/temporal/config';
import { FakeEngine } from '../../test/support/fakeEngine';

const log = installTelemetry(telemetryConfig(process.env));

async function main(): Promise<void> {
  const engine = new FakeEngine();
  const { worker, workflows, close } = await createClockerWorker(temporalConfig(), {
    simulated: (temporal) => ({
      ...engine.activities(),
      ...engine.watcherActivities(temporal),
      checkHostAlive: async () => ({ alive: true, containers: 0 }),
      measureHostUsage: async () => ({ usage: { cpuPercent: 0, memoryBytes: 0 }, containers: 0 }),
    }),
    // A bench row's SDK settings on top of the shipped ones (JSON), e.g. {"maxCachedWorkflows":20}.
    ...(process.env.CLOCKER_BENCH_WORKER_TUNING ? { tuning: JSON.parse(process.env.CLOCKER_BENCH_WORKER_TUNING) as object } : {}),
  });
  log.info(`clocker worker: ${workflows}; simulated hosts`);
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
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
