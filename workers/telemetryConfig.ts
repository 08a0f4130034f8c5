// What the worker's telemetry is, read from its environment (pure, unit-tested):
//   CLOCKER_METRICS_ADDRESS  host:port of a Prometheus endpoint (`/metrics`); unset: no endpoint.
//                            Loopback (127.0.0.1:9464) unless the network around it is trusted.
//   CLOCKER_LOG_LEVEL        TRACE, DEBUG, INFO (default), WARN, ERROR
//   CLOCKER_LOG_FORMAT       json (default: one JSON object a line) or text
import type { LogLevel } from '@temporalio/common';

export interface TelemetryConfig {
  metricsAddress?: string;
  logLevel: LogLevel;
  logFormat: 'json' | 'text';
}

const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export function telemetryConfig(env: NodeJS.ProcessEnv): TelemetryConfig {
  const level = (env.CLOCKER_LOG_LEVEL ?? 'INFO').trim().toUpperCase();
  if (!LEVELS.includes(level as LogLevel)) throw new Error(`CLOCKER_LOG_LEVEL=${env.CLOCKER_LOG_LEVEL}: give one of ${LEVELS.join(', ')}`);
  const format = (env.CLOCKER_LOG_FORMAT ?? 'json').trim().toLowerCase();
  if (format !== 'json' && format !== 'text') throw new Error(`CLOCKER_LOG_FORMAT=${env.CLOCKER_LOG_FORMAT}: give json or text`);
  const address = env.CLOCKER_METRICS_ADDRESS?.trim();
  if (address && !/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/.test(address)) {
    throw new Error(`CLOCKER_METRICS_ADDRESS=${address}: give host:port, e.g. 127.0.0.1:9464`);
  }
  return { ...(address ? { metricsAddress: address } : {}), logLevel: level as LogLevel, logFormat: format };
}

/** One log entry as a JSON line: time, level, message, then the SDK's metadata (workflow and activity ids). */
export function jsonLogLine(entry: { level: LogLevel; message: string; timestampNanos: bigint; meta?: Record<string, unknown> }): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return JSON.stringify({ time, level: entry.level, msg: entry.message, ...entry.meta }, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    return value;
  });
}
