// Installs the SDK runtime's telemetry once per worker process: structured logs (the SDK's,
// Core's forwarded, and the worker's own, all through one logger) and, when configured, a
// Prometheus endpoint with the SDK's metrics and Clocker's (workflows/consoleMetrics.ts,
// workers/activityMetrics.ts).
import { DefaultLogger, makeTelemetryFilterString, Runtime, type Logger } from '@temporalio/worker';
import { jsonLogLine, telemetryConfig, type TelemetryConfig } from './telemetryConfig';

export function installTelemetry(config: TelemetryConfig = telemetryConfig(process.env)): Logger {
  const logger =
    config.logFormat === 'json'
      ? new DefaultLogger(config.logLevel, (entry) => process.stdout.write(`${jsonLogLine(entry)}\n`))
      : new DefaultLogger(config.logLevel);
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: config.logLevel }), forward: {} },
      ...(config.metricsAddress ? { metrics: { prometheus: { bindAddress: config.metricsAddress } } } : {}),
    },
  });
  return logger;
}
