// The benches' arithmetic and plumbing: nearest-rank percentiles, the result line bench/all.ts
// collects, and the steps of a recovery read from a service history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResults, printResult } from '../../bench/support/benchResult';
import { recoverySteps } from '../../bench/support/recoveryBreakdown';
import { mean, percentile, summarize } from '../../bench/support/stats';

test('median and p95 are nearest-rank over the sorted samples', () => {
  const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  assert.deepEqual(summarize(ten), { median: 5, p95: 10, n: 10 });
  assert.equal(percentile([42], 95), 42);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('the mean of the curve\'s trials; none is NaN, not 0', () => {
  assert.equal(mean([1.0, 1.2]), 1.1);
  assert.equal(mean([3]), 3);
  assert.ok(Number.isNaN(mean([])));
});

test('a printed result line is read back by the collector, other output ignored', () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    printResult({ bench: 'x', rows: [{ measure: 'm', kind: 'time', clocker: { median: 1, p95: 2, n: 10 }, swarm: 3 }] });
  } finally {
    console.log = log;
  }
  assert.deepEqual(parseResults(`noise\n${lines.join('\n')}\nmore noise\n`), [{ bench: 'x', rows: [{ measure: 'm', kind: 'time', clocker: { median: 1, p95: 2, n: 10 }, swarm: 3 }] }]);
});

test('a recovery is split at the signal, the check and the member healthy (one startMember or ensureContainer then waitHealthy)', () => {
  const at = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
  let id = 0;
  const scheduled = (name: string, ms: number) => ({ eventId: String(++id), eventTime: at(ms), activityTaskScheduledEventAttributes: { activityType: { name } } });
  const completed = (of: number, ms: number) => ({ eventId: String(++id), eventTime: at(ms), activityTaskCompletedEventAttributes: { scheduledEventId: String(of) } });
  const signal = (ms: number) => ({ eventId: String(++id), eventTime: at(ms), workflowExecutionSignaledEventAttributes: { signalName: 'memberEvent' } });
  const events = [
    signal(1_050),
    scheduled('checkMember', 1_060), completed(2, 1_200),
    scheduled('startMember', 1_210), completed(4, 1_500),
    signal(5_040),
    scheduled('checkMember', 5_050), completed(7, 5_100),
    scheduled('ensureContainer', 5_110), completed(9, 5_300),
    scheduled('waitHealthy', 5_310), completed(11, 5_400),
  ];
  // The proto's Long seconds are read through String(): plain strings stand in for them here.
  const steps = recoverySteps(events as never, [{ at: 1_000, seen: 1_600 }, { at: 5_000, seen: 5_450 }, { at: 9_000, seen: 9_500 }]);
  assert.deepEqual(steps, [
    { detect: 50, check: 150, start: 300, seen: 100 },
    { detect: 40, check: 60, start: 300, seen: 50 },
  ]);
});
