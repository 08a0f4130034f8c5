// The worker's telemetry settings from its environment, and the JSON log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonLogLine, telemetryConfig } from '../../workers/telemetryConfig';

test('defaults: JSON logs at INFO, no metrics endpoint', () => {
  assert.deepEqual(telemetryConfig({}), { logLevel: 'INFO', logFormat: 'json' });
});

test('a metrics address, a level and a format', () => {
  assert.deepEqual(telemetryConfig({ CLOCKER_METRICS_ADDRESS: '127.0.0.1:9464', CLOCKER_LOG_LEVEL: 'debug', CLOCKER_LOG_FORMAT: 'TEXT' }), {
    metricsAddress: '127.0.0.1:9464',
    logLevel: 'DEBUG',
    logFormat: 'text',
  });
  assert.equal(telemetryConfig({ CLOCKER_METRICS_ADDRESS: '[::1]:9464' }).metricsAddress, '[::1]:9464');
});

test('wrong values are refused with what to give', () => {
  assert.throws(() => telemetryConfig({ CLOCKER_METRICS_ADDRESS: '9464' }), /CLOCKER_METRICS_ADDRESS=9464: give host:port, e\.g\. 127\.0\.0\.1:9464/);
  assert.throws(() => telemetryConfig({ CLOCKER_LOG_LEVEL: 'loud' }), /CLOCKER_LOG_LEVEL=loud: give one of TRACE, DEBUG, INFO, WARN, ERROR/);
  assert.throws(() => telemetryConfig({ CLOCKER_LOG_FORMAT: 'xml' }), /give json or text/);
});

test('a log entry is one JSON object: time, level, message, then the SDK metadata', () => {
  const line = jsonLogLine({ level: 'WARN', message: 'activity failed', timestampNanos: 1_700_000_000_123_000_000n, meta: { workflowId: 'clocker/app/shop', attempt: 2n, error: new Error('boom') } });
  assert.ok(!line.includes('\n'));
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed.time, '2023-11-14T22:13:20.123Z');
  assert.equal(parsed.level, 'WARN');
  assert.equal(parsed.msg, 'activity failed');
  assert.equal(parsed.workflowId, 'clocker/app/shop');
  assert.equal(parsed.attempt, '2');
  assert.equal((parsed.error as { message: string }).message, 'boom');
});
