// The autoscaler's pure parts: the decision (stabilisation, step, bounds), the streak, the
// record, the metric answers members serve, the engine's cpu/memory fractions, resize requests
// against an autoscaled service, and the policy as written in a blueprint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoscalerSettings, averageSample, decide, heldBounds, shown, track, type AutoscalerSettings, type Sample, type Streak } from '../../domain/application/autoscaler';
import { DECISIONS_KEPT, recordDecision, type AutoscalerDecision } from '../../domain/application/autoscalerRecord';
import { cpuFraction, cpuLimitCores, memoryFraction, type StatsSample } from '../../domain/application/engineMetric';
import { parseMetric } from '../../domain/application/metricText';
import { resolveResize } from '../../domain/application/resizeRequest';
import { errorsOf, load, yaml } from './blueprint/helpers';
import { autoscalerLines } from '../../client/render/autoscalerLines';
import { serviceDetails } from '../../domain/console/currentDetails';
import type { ServiceView } from '../../domain/application/status';

const settings: AutoscalerSettings = { metric: 'cpu', low: 0.2, high: 0.8, bounds: { min: 1, max: 4 }, growAfterMs: 10_000, shrinkAfterMs: 30_000, step: 1, periodMs: 2_000 };
const cluster = { min: 1, max: 5 };
const at = (t: number, value?: number): Sample => (value === undefined ? { at: t, measured: 0, of: 2, error: 'stats: no answer' } : { at: t, value, measured: 2, of: 2 });

/** Runs samples through track + decide as the duty does, restarting the streak after each change. */
function run(samples: Sample[], size: number, s = settings) {
  let streak: Streak | undefined;
  return samples.map((sample) => {
    streak = track(streak, sample, s);
    const d = decide({ settings: s, cluster, size, sample, streak });
    if (d.action !== 'hold') {
      size = d.size;
      streak = undefined;
    }
    return `${d.action} ${d.size} ${d.kind}`;
  });
}

test('grows only once the metric stayed above high for growAfter, then a step at a time, each after its own delay', () => {
  const samples = Array.from({ length: 14 }, (_, i) => at(i * 2_000, 0.95));
  assert.deepEqual(run(samples, 1), [
    'hold 1 wait-grow', // t=0: the streak starts
    'hold 1 wait-grow',
    'hold 1 wait-grow',
    'hold 1 wait-grow',
    'hold 1 wait-grow',
    'grow 2 grow', // t=10s: above for 10s
    'hold 2 wait-grow', // the streak starts again with the new member
    'hold 2 wait-grow',
    'hold 2 wait-grow',
    'hold 2 wait-grow',
    'hold 2 wait-grow',
    'grow 3 grow',
    'hold 3 wait-grow',
    'hold 3 wait-grow',
  ]);
});

test('a sample back between the thresholds ends the streak; a missed sample neither ends nor confirms it', () => {
  assert.deepEqual(run([at(0, 0.9), at(2_000, 0.9), at(4_000, 0.5), at(6_000, 0.9), at(16_000, 0.9)], 1), [
    'hold 1 wait-grow',
    'hold 1 wait-grow',
    'hold 1 steady',
    'hold 1 wait-grow',
    'grow 2 grow',
  ]);
  assert.deepEqual(run([at(0, 0.9), at(4_000), at(10_000, 0.9)], 1), ['hold 1 wait-grow', 'hold 1 blind', 'grow 2 grow']);
});

test('shrinks after shrinkAfter below low, and never past the bounds', () => {
  const low = Array.from({ length: 17 }, (_, i) => at(i * 2_000, 0.05));
  const out = run(low, 3);
  assert.equal(out[15], 'shrink 2 shrink'); // t=30s
  assert.ok(out.slice(0, 15).every((d) => d === 'hold 3 wait-shrink'));
  assert.deepEqual(run([at(0, 0.05), at(60_000, 0.05)], 1), ['hold 1 at-min', 'hold 1 at-min']);
  assert.deepEqual(run([at(0, 0.99), at(60_000, 0.99)], 4), ['hold 4 at-max', 'hold 4 at-max']);
});

test('a step larger than one stops at the maximum; growAfter 0 grows at the first high sample', () => {
  const s = { ...settings, step: 3, growAfterMs: 0 };
  assert.deepEqual(run([at(0, 0.9), at(2_000, 0.9)], 2, s), ['grow 4 grow', 'hold 4 at-max']);
});

test("a size outside the autoscaler's bounds is brought in at once, whatever the metric", () => {
  const d = decide({ settings: { ...settings, bounds: { min: 3, max: 4 } }, cluster, size: 1, sample: at(0), streak: undefined });
  assert.deepEqual(d, { action: 'grow', kind: 'bounds', size: 3, reason: "below the autoscaler's minimum 3: 1 → 3" });
  assert.equal(decide({ settings, cluster, size: 5, sample: at(0, 0.5), streak: undefined }).size, 4);
});

test("the autoscaler's bounds are held within the cluster's", () => {
  assert.deepEqual(heldBounds({ min: 0, max: 10 }, { min: 1, max: 5 }), { min: 1, max: 5 });
  assert.deepEqual(heldBounds({ min: 7, max: 9 }, { min: 1, max: 5 }), { min: 5, max: 5 });
  assert.deepEqual(heldBounds({ min: 2, max: 3 }, { min: 1, max: 5 }), { min: 2, max: 3 });
});

test('reasons say the inputs', () => {
  const streak = { side: 'above' as const, since: 0 };
  assert.equal(decide({ settings, cluster, size: 1, sample: at(4_000, 0.9123), streak }).reason, 'cpu 0.912 above 0.8 for 4s of 10s');
  assert.equal(decide({ settings, cluster, size: 1, sample: at(12_000, 0.9), streak }).reason, 'cpu 0.9 above 0.8 for 12s: 1 → 2');
  assert.equal(decide({ settings, cluster, size: 2, sample: at(0, 0.5), streak: undefined }).reason, 'cpu 0.5 within 0.2..0.8');
  assert.equal(decide({ settings, cluster, size: 2, sample: at(0), streak: undefined }).reason, 'no measurement (stats: no answer)');
  assert.equal(decide({ settings: { ...settings, shrinkAfterMs: 300_000 }, cluster, size: 2, sample: at(150_000, 0.1), streak: { side: 'below', since: 0 } }).reason, 'cpu 0.1 below 0.2 for 2m30s of 5m');
});

test('the sample averages the members that answered', () => {
  assert.deepEqual(averageSample(5, [0.2, undefined, 0.6], ['m2: timeout']), { at: 5, measured: 2, of: 3, value: 0.4 });
  assert.deepEqual(averageSample(5, [undefined], ['m1: timeout']), { at: 5, measured: 0, of: 1, error: 'm1: timeout' });
  assert.deepEqual(averageSample(5, [], []), { at: 5, measured: 0, of: 0, error: 'no running member' });
});

test('settings default from the policy: growAfter/shrinkAfter from stabilization, step 1 (specs from before)', () => {
  const policy = { metric: 'cpu', lowThreshold: 0.2, highThreshold: 0.8, minSize: 1, maxSize: 3, stabilizationMs: 60_000, periodMs: 10_000 };
  assert.deepEqual(autoscalerSettings(policy), { metric: 'cpu', low: 0.2, high: 0.8, bounds: { min: 1, max: 3 }, growAfterMs: 60_000, shrinkAfterMs: 60_000, step: 1, periodMs: 10_000 });
  assert.deepEqual(autoscalerSettings(policy, { min: 2, max: 2 }).bounds, { min: 2, max: 2 });
});

test('past ten entries the oldest holds go first: changes of size stay in the record', () => {
  const sample = at(0, 0.5);
  const entry = (action: 'grow' | 'hold', kind: 'grow' | 'steady' | 'wait-grow', when: string) => ({ decision: { action, kind, size: action === 'grow' ? 3 : 2, reason: when }, sample, from: 2, at: when });
  let list: AutoscalerDecision[] = [];
  list = recordDecision(list, entry('grow', 'grow', 'g1')).decisions;
  // A noisy metric: steady and waiting in turns, each a new entry.
  for (let i = 0; i < 14; i++) list = recordDecision(list, entry('hold', i % 2 ? 'steady' : 'wait-grow', `h${i}`)).decisions;
  list = recordDecision(list, entry('grow', 'grow', 'g2')).decisions;
  assert.equal(list.length, DECISIONS_KEPT);
  assert.deepEqual(list.map((d) => d.at), ['g1', 'h6', 'h7', 'h8', 'h9', 'h10', 'h11', 'h12', 'h13', 'g2']);
});

test('alike holds are one entry with a count; changes open entries; ten are kept', () => {
  const hold = (t: number, value: number) => ({ decision: decide({ settings, cluster, size: 2, sample: at(t, value), streak: undefined }), sample: at(t, value), from: 2, at: `t${t}` });
  let list: AutoscalerDecision[] = [];
  let r = recordDecision(list, hold(0, 0.5));
  assert.equal(r.added, true);
  r = recordDecision(r.decisions, hold(2, 0.6));
  assert.equal(r.added, false);
  assert.deepEqual(r.decisions, [{ at: 't0', action: 'hold', kind: 'steady', from: 2, to: 2, value: 0.6, measured: 2, of: 2, reason: 'cpu 0.6 within 0.2..0.8', times: 2, lastAt: 't2' }]);
  const grow = { decision: { action: 'grow' as const, kind: 'grow' as const, size: 3, reason: 'x' }, sample: at(4, 0.9), from: 2, at: 't4' };
  list = r.decisions;
  for (let i = 0; i < 12; i++) list = recordDecision(list, grow).decisions;
  assert.equal(list.length, DECISIONS_KEPT);
  assert.ok(list.every((d) => d.action === 'grow' && d.times === undefined));
});

test('a custom metric is read as a plain number, JSON naming it, or a Prometheus line', () => {
  assert.deepEqual(parseMetric('42\n', 'queue'), { value: 42 });
  assert.deepEqual(parseMetric('0.5', 'queue'), { value: 0.5 });
  assert.deepEqual(parseMetric('{"queue": 7, "other": 1}', 'queue'), { value: 7 });
  assert.deepEqual(parseMetric('{"queue": "7.5"}', 'queue'), { value: 7.5 });
  assert.deepEqual(parseMetric('# HELP queue jobs\n# TYPE queue gauge\nqueue_total 9\nqueue{shard="a"} 12 1700000000\nqueue 13\n', 'queue'), { value: 12 });
  assert.deepEqual(parseMetric('{"other": 1}', 'queue'), { problem: 'the JSON answer has no number "queue"' });
  assert.deepEqual(parseMetric('{"queue": ', 'queue'), { problem: 'the answer looks like JSON but does not parse' });
  assert.deepEqual(parseMetric('queue_depth 3', 'queue'), { problem: 'no "queue <number>" line in the answer' });
  assert.deepEqual(parseMetric('  ', 'queue'), { problem: 'the answer was empty' });
});

const stats = (usedNs: number, systemNs: number, cpus: number, memory: StatsSample['memory_stats'] = {}): StatsSample => ({
  cpu_stats: { cpu_usage: { total_usage: 1e9 + usedNs }, system_cpu_usage: 1e12 + systemNs, online_cpus: cpus },
  precpu_stats: { cpu_usage: { total_usage: 1e9 }, system_cpu_usage: 1e12 },
  memory_stats: memory,
});

test("cpu is cores used over the member's limit, or over one core without one", () => {
  // Over 1 s of 2 CPUs (2e9 ns of system time), the member used 1e9 ns: one core busy.
  assert.equal(cpuFraction(stats(1e9, 2e9, 2), {}), 1);
  assert.equal(cpuFraction(stats(1e9, 2e9, 2), { NanoCpus: 2e9 }), 0.5);
  assert.equal(cpuFraction(stats(0.25e9, 2e9, 2), { CpuQuota: 50_000, CpuPeriod: 100_000 }), 0.5);
  assert.equal(cpuLimitCores({ NanoCpus: 0, CpuQuota: -1 }), 1);
  // A first reading has no earlier one to compare with.
  assert.equal(cpuFraction({ ...stats(1e9, 2e9, 2), precpu_stats: { cpu_usage: { total_usage: 0 } } }, {}), undefined);
});

test('memory is bytes in use, less the reclaimable cache, over the limit', () => {
  assert.equal(memoryFraction(stats(0, 1, 1, { usage: 600, limit: 1000, stats: { inactive_file: 100 } })), 0.5);
  assert.equal(memoryFraction(stats(0, 1, 1, { usage: 600, limit: 1000, stats: { total_inactive_file: 200 } })), 0.4);
  assert.equal(memoryFraction(stats(0, 1, 1, {})), undefined);
});

test('resize requests: a plain service takes a size; an autoscaled one takes bounds, not a size', () => {
  const plain = { count: 2, cluster: { min: 1, max: 6 } };
  assert.deepEqual(resolveResize({ size: 4 }, plain), { size: 4 });
  assert.deepEqual(resolveResize({ by: -1 }, plain), { size: 1 });
  assert.throws(() => resolveResize({}, plain), /^Error: give exactly one of "size" or "by"$/);
  assert.throws(() => resolveResize({ size: 9 }, plain), /9 is outside the service's bounds 1\.\.6/);
  assert.throws(() => resolveResize({ min: 2 }, plain), /this service has no autoscaler/);

  const scaled = { ...plain, autoscaler: { metric: 'cpu', bounds: { min: 1, max: 3 } } };
  assert.throws(() => resolveResize({ size: 3 }, scaled), {
    message: 'the service is autoscaled (cpu, 1..3 members): its autoscaler sets the size; move its bounds instead (clocker resize APP SERVICE --min N --max M)',
  });
  assert.throws(() => resolveResize({ by: 1 }, scaled), /is autoscaled/);
  assert.deepEqual(resolveResize({ min: 3, max: 5 }, scaled), { size: 3, bounds: { min: 3, max: 5 } });
  assert.deepEqual(resolveResize({ max: 1 }, scaled), { size: 1, bounds: { min: 1, max: 1 } });
  assert.deepEqual(resolveResize({ max: 5 }, scaled), { size: 2, bounds: { min: 1, max: 5 } });
  assert.deepEqual(resolveResize({ min: 2, max: 5, size: 4 }, scaled), { size: 4, bounds: { min: 2, max: 5 } });
  assert.throws(() => resolveResize({ min: 4, max: 3 }, scaled), /min 4 is above max 3/);
  assert.throws(() => resolveResize({ min: 0, max: 8 }, scaled), /the autoscaler's bounds 0\.\.8 leave the cluster's bounds 1\.\.6/);
  assert.throws(() => resolveResize({ min: 2, size: 1 }, scaled), /1 is outside the autoscaler's new bounds 2\.\.3/);
  assert.throws(() => resolveResize({ min: 1.5 }, scaled), /"min" must be a whole number, not 1\.5/);
});

test('the blueprint: growAfter/shrinkAfter/step/source load; a custom metric needs a source on a published port', () => {
  const bp = load(yaml(`
    name: app
    services:
      - id: web
        image: clocker/busybox:1
        ports: ["0:8080"]
        cluster: { initialSize: 1, minSize: 1, maxSize: 5 }
        policies:
          autoscaler: { metric: queue, lowThreshold: 2, highThreshold: 10, growAfter: 5s, shrinkAfter: 1m, step: 2, period: 1s, source: { port: 8080, path: /load } }
  `));
  assert.deepEqual(bp.services[0]?.policies.autoscaler, {
    metric: 'queue', lowThreshold: 2, highThreshold: 10, minSize: 1, maxSize: 5, stabilizationMs: 60_000, growAfterMs: 5_000, shrinkAfterMs: 60_000, step: 2, periodMs: 1_000, source: { port: 8080, path: '/load' },
  });
  assert.deepEqual(
    errorsOf(yaml(`
      name: app
      services:
        - id: a
          image: clocker/busybox:1
          policies: { autoscaler: { metric: queue, lowThreshold: 1, highThreshold: 2 } }
        - id: b
          image: clocker/busybox:1
          policies: { autoscaler: { lowThreshold: 1, highThreshold: 2, source: { port: 80 } } }
        - id: c
          image: clocker/busybox:1
          policies: { autoscaler: { metric: queue, lowThreshold: 1, highThreshold: 2, step: 0, source: { port: 80, path: metrics } } }
    `)),
    [
      `app.yaml:5:39: error: services[0].policies.autoscaler.metric: a custom metric needs "source: {port, path}" (the members' HTTP endpoint that answers it)`,
      `app.yaml:8:74: error: services[1].policies.autoscaler.source: cpu and memory come from the engine's stats: "source" is for custom metrics`,
      'app.yaml:11:87: error: services[2].policies.autoscaler.step: must be at least 1, got 0',
      'app.yaml:11:116: error: services[2].policies.autoscaler.source.path: must start with "/", got "metrics"',
    ],
  );
  assert.deepEqual(
    errorsOf(yaml(`
      name: app
      services:
        - id: a
          image: clocker/busybox:1
          policies: { autoscaler: { metric: queue, lowThreshold: 1, highThreshold: 2, source: { port: 80 } } }
    `)),
    ['app.yaml:5:97: error: services[0].policies.autoscaler.source.port: autoscaler source port 80 is not among the service\'s ports: publish it (ports: ["0:80"]) so the worker can read the metric'],
  );
});

test('clocker status shows the bounds, the latest decision and the last change with their inputs', () => {
  const d = (over: Partial<AutoscalerDecision>): AutoscalerDecision => ({ at: '2026-01-01T10:00:00.000Z', action: 'hold', kind: 'steady', from: 2, to: 2, value: 0.5, measured: 2, of: 2, reason: 'cpu 0.5 within 0.2..0.8', ...over });
  const web = {
    id: 'web',
    autoscaler: {
      metric: 'cpu', low: 0.2, high: 0.8, min: 1, max: 3, moved: true,
      decisions: [d({ action: 'grow', kind: 'grow', from: 1, to: 2, value: 0.9, measured: 1, of: 1, reason: 'cpu 0.9 above 0.8 for 10s: 1 → 2' }), d({ at: '2026-01-01T10:00:12.000Z', times: 5, lastAt: '2026-01-01T10:00:20.000Z' })],
    },
  } as ServiceView;
  // The Web UI's current details of the service: the same record, newest first.
  const details = serviceDetails('shop', { ...web, status: 'RUNNING', desired: 2, members: [], hostEndpoints: {}, generation: 3 });
  assert.match(details, /\*\*Autoscaler\*\* · cpu 0\.2\.\.0\.8 · 1\.\.3 members \(bounds moved by an operator\)/);
  assert.ok(details.indexOf('hold at 2 (×5)') < details.indexOf('grow 1 → 2'), details);
  assert.match(details, /grow 1 → 2 \| 0\.9 \| 1\/1 \| cpu 0\.9 above 0\.8 for 10s: 1 → 2/);
  assert.deepEqual(autoscalerLines([web, { id: 'db' } as ServiceView]), [
    'autoscaler: web on cpu 0.2..0.8, 1..3 members (bounds moved by an operator)',
    '  latest: 10:00:20 hold at 2: cpu 0.5 within 0.2..0.8; 2/2 members measured (×5 since 10:00:12)',
    '  last change: 10:00:00 grow 1 → 2: cpu 0.9 above 0.8 for 10s: 1 → 2; 1/1 members measured',
  ]);
});

test('a value just past a threshold never reads as equal to it, in the reason or the record', () => {
  assert.equal(shown(0.40004), '0.4');
  assert.equal(shown(0.40004, 0.15, 0.4), '0.40004');
  assert.equal(shown(0.3999999, 0.4), '0.3999999');
  assert.equal(shown(0.4, 0.4), '0.4', 'a value at the threshold is shown as it is');
  assert.equal(shown(0.61234, 0.4), '0.612');
  const r = recordDecision([], { at: 't0', from: 2, sample: { at: 0, measured: 2, of: 2, value: 0.40004 }, decision: { action: 'grow', kind: 'grow', size: 3, reason: 'r' } });
  assert.equal(r.decisions[0]!.value, 0.40004);
});
