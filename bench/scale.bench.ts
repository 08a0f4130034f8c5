// Deploy time against member count (issue #16): one service of N busybox httpd members on the
// local engine, for N from 10 to 300, on three sides in one run: the floor (dockerode, all in
// parallel, until each answers), Clocker (to RUNNING: every member passed its http probe) and
// Docker Swarm mode (every task running and healthy), both orchestrators checking health every
// second. The curve is walked BENCH_CURVE_TRIALS times (default 2), the floor and Clocker side by
// side at each count, the one that goes first swapped every trial; a point is the mean of its
// trials, its ratio the mean of the trials' ratios (each trial's pair shares the machine's load
// of the moment). Swarm comes after the whole curve, once per count it is measured at, so its
// hundreds of health checks do not load the machine under the other points. Writes the curve
// to docs/deploy-curve.svg and prints the 200-member rows (deploy and destroy) for `npm run bench`.
//   node --import tsx bench/scale.bench.ts      (~17 min on 2 busy cores; own dev server and worker)
// BENCH_CURVE=10,50,100,200,300 (the counts); BENCH_CURVE_TRIALS=2; BENCH_SWARM_AT=200 (counts
// Swarm is measured at, `all` for every one: Swarm takes a minute or more at 200);
// BENCH_SCALE_AT=200 (the table's row).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { localInfrastructure } from '../client/commands/up';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startLocalStack, type Stack } from '../test/support/stack';
import { printResult, type ResultRow } from './support/benchResult';
import { lineChartSvg, type Series } from './support/curveSvg';
import { floorDown, floorUp, HTTPD_COMMAND } from './support/floor';
import { runningAfter } from './support/runningAt';
import { mean } from './support/stats';
import { clearSwarmService, createSwarmService, joinLocalSwarm, leaveLocalSwarm, removeSwarmService, swarmHealthy } from './support/swarmPeer';

const COUNTS = (process.env.BENCH_CURVE ?? '10,50,100,200,300').split(',').map(Number);
const TRIALS = Math.max(1, Number(process.env.BENCH_CURVE_TRIALS ?? 2));
const SWARM_AT = process.env.BENCH_SWARM_AT === 'all' ? COUNTS : (process.env.BENCH_SWARM_AT ?? '200').split(',').map(Number);
const ROW_AT = Number(process.env.BENCH_SCALE_AT ?? 200);
const HEALTH_INTERVAL_MS = 1000;
const POLL_MS = 50;
const DEADLINE_MS = 600_000;
const RUN = `s${process.pid}`;
/** Its own infrastructure on the local engine: the usual "local" one takes 100 containers, the curve goes past that. */
const INFRA = `scale${process.pid}`;

interface Times {
  up: number;
  down: number;
}

/** One walk of the curve at one count: the floor and Clocker one right after the other. */
interface Trial {
  floor: Times;
  clocker: Times;
}

interface Point {
  n: number;
  /** Means of the trials. */
  floor: Times;
  clocker: Times;
  /** Clocker/floor deploy, mean of the trials' own ratios; and each trial's. */
  upRatio: number;
  upRatios: number[];
  /** down is missing when Swarm did not take its own tasks down within the deadline (they were then forced). */
  swarm?: { up: number; down?: number };
  /** Swarm's tasks were not all healthy within the deadline: how many were, at the end. */
  swarmMissed?: { healthy: number };
}

/** How long Swarm is given to get N tasks healthy before its point is recorded as not reached (BENCH_SWARM_DEADLINE_S). */
const SWARM_DEADLINE_MS = Number(process.env.BENCH_SWARM_DEADLINE_S ?? 300) * 1000;

async function until(what: string, check: () => Promise<boolean>, deadlineMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function clocker(stack: Stack, n: number): Promise<{ up: number; down: number }> {
  const app = `scl${RUN}n${n}`;
  const spec = serviceSpec({
    id: 'web',
    image: BUSYBOX_IMAGE,
    count: n,
    command: HTTPD_COMMAND,
    ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    health: { probe: { kind: 'http', port: 80, path: '/', expectStatus: 200 }, intervalMs: HEALTH_INTERVAL_MS, timeoutMs: 2000, retries: 3, startPeriodMs: 0 },
  });
  const askedAt = Date.now();
  await stack.clocker.deploy(blueprint(app, [spec], INFRA));
  // Polled as the CLI does, the moment from the history (bench/support/runningAt.ts).
  const up = await runningAfter(stack.clocker, app, askedAt, DEADLINE_MS);
  const t = performance.now();
  const gone = await stack.clocker.destroy(app, DEADLINE_MS);
  if (gone.status !== 'DESTROYED') throw new Error(`${app} not destroyed: ${gone.status}`);
  return { up, down: performance.now() - t };
}

/** Swarm's times, or how many were healthy when its tasks were not all healthy within SWARM_DEADLINE_MS: the curve goes on without that point. */
async function swarm(docker: Docker, n: number): Promise<{ up: number; down?: number } | { healthy: number }> {
  const name = `swarm-${RUN}-${n}`;
  const started = performance.now();
  await createSwarmService(docker, name, n, HTTPD_COMMAND, { healthIntervalMs: HEALTH_INTERVAL_MS });
  try {
    await until(`swarm ${n} healthy`, async () => {
      const h = await swarmHealthy(docker, name);
      return h.tasks === n && h.containers === n;
    }, SWARM_DEADLINE_MS);
  } catch (err) {
    const h = await swarmHealthy(docker, name);
    console.log(`swarm ${n}: ${h.containers} of ${n} healthy after ${SWARM_DEADLINE_MS / 1000} s (${err instanceof Error ? err.message : String(err)}); no Swarm point at ${n}`);
    await clearSwarmService(docker, name);
    return { healthy: h.containers };
  }
  const up = performance.now() - started;
  try {
    return { up, down: await removeSwarmService(docker, name, DEADLINE_MS) };
  } catch (err) {
    console.log(`swarm ${n}: ${err instanceof Error ? err.message : String(err)}; no Swarm destroy figure at ${n}`);
    await clearSwarmService(docker, name, 0);
    return { up };
  }
}

async function floor(docker: Docker, n: number): Promise<{ up: number; down: number }> {
  const group = `floor-${RUN}-${n}`;
  const up = await floorUp(docker, group, 1, n);
  return { up, down: await floorDown(docker, group) };
}

/** The floor and Clocker at one count, one right after the other; `clockerFirst` swaps who goes first. */
async function trialAt(docker: Docker, stack: Stack, n: number, clockerFirst: boolean): Promise<Trial> {
  if (clockerFirst) {
    const c = await clocker(stack, n);
    return { clocker: c, floor: await floor(docker, n) };
  }
  const f = await floor(docker, n);
  return { floor: f, clocker: await clocker(stack, n) };
}

function pointOf(n: number, trials: readonly Trial[]): Point {
  const meanOf = (pick: (t: Trial) => number) => mean(trials.map(pick));
  const upRatios = trials.map((t) => t.clocker.up / t.floor.up);
  return {
    n,
    floor: { up: meanOf((t) => t.floor.up), down: meanOf((t) => t.floor.down) },
    clocker: { up: meanOf((t) => t.clocker.up), down: meanOf((t) => t.clocker.down) },
    upRatio: mean(upRatios),
    upRatios,
  };
}

const s = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);

async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const wantSwarm = COUNTS.some((n) => SWARM_AT.includes(n));
  const joined = wantSwarm ? await joinLocalSwarm(docker) : undefined;
  const stack = await startLocalStack(docker);
  const local = await localInfrastructure(docker);
  await stack.clocker.ensureInfrastructure({ ...local, name: INFRA, hosts: local.hosts.map((h) => ({ ...h, maxContainers: Math.max(...COUNTS) + 10 })) });
  const points: Point[] = [];
  const trials = new Map<number, Trial[]>(COUNTS.map((n) => [n, []]));
  try {
    // Warm-up (a fresh worker's first workflows, the engine's first creates): not counted.
    await floor(docker, 1);
    await clocker(stack, 1);
    for (let t = 0; t < TRIALS; t++) {
      for (const n of COUNTS) {
        const trial = await trialAt(docker, stack, n, t % 2 === 1);
        trials.get(n)!.push(trial);
        console.log(`trial ${t + 1}, ${n} members: deploy floor ${s(trial.floor.up)}, clocker ${s(trial.clocker.up)} (${(trial.clocker.up / trial.floor.up).toFixed(2)}×); destroy floor ${s(trial.floor.down)}, clocker ${s(trial.clocker.down)}`);
      }
    }
    for (const n of COUNTS) points.push(pointOf(n, trials.get(n)!));
    for (const point of points) {
      if (!SWARM_AT.includes(point.n)) continue;
      const peer = await swarm(docker, point.n);
      if ('up' in peer) point.swarm = peer;
      else point.swarmMissed = peer;
      console.log(`${point.n} members: swarm deploy ${s(point.swarm?.up)}, destroy ${s(point.swarm?.down)}`);
    }
  } catch (err) {
    console.error('scale bench failed:', err);
    process.exitCode = 1;
    // What was measured before the failure is still reported, as such.
    if (points.length === 0) for (const n of COUNTS) if (trials.get(n)!.length > 0) points.push(pointOf(n, trials.get(n)!));
  } finally {
    for (const n of COUNTS) {
      await floorDown(docker, `floor-${RUN}-${n}`).catch((err: unknown) => console.error(`cleanup of the floor's ${n} failed:`, err));
      if (SWARM_AT.includes(n)) await clearSwarmService(docker, `swarm-${RUN}-${n}`).catch((err: unknown) => console.error(`cleanup of swarm ${n} failed:`, err));
    }
    await stack.stop().catch((err: unknown) => console.error('stack stop failed:', err));
    if (joined) console.log(await leaveLocalSwarm(docker, joined));
  }
  if (points.length === 0) return;
  report(points);
}

/** `1.04× (1.01×, 1.07×)`: the mean of the trials' ratios, then each trial's. */
function ratioText(p: Point): string {
  const mean = `${p.upRatio.toFixed(2)}×`;
  return p.upRatios.length > 1 ? `${mean} (${p.upRatios.map((r) => `${r.toFixed(2)}×`).join(', ')})` : mean;
}

function report(points: Point[]): void {
  console.log(`\nMeans of ${TRIALS} trial(s) per count; Clocker/floor is the mean of the trials' own ratios (each trial's in brackets).`);
  console.log('\n| members | floor deploy | Clocker deploy | Swarm deploy | Clocker/floor | Clocker/Swarm | floor destroy | Clocker destroy | Swarm destroy |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const p of points) {
    const vsSwarm = p.swarm ? `${(p.clocker.up / p.swarm.up).toFixed(2)}×` : p.swarmMissed ? `< ${(p.clocker.up / SWARM_DEADLINE_MS).toFixed(2)}×` : '—';
    const swarmUp = p.swarmMissed ? `> ${SWARM_DEADLINE_MS / 1000} s (${p.swarmMissed.healthy} of ${p.n} healthy)` : s(p.swarm?.up);
    console.log(`| ${p.n} | ${s(p.floor.up)} | ${s(p.clocker.up)} | ${swarmUp} | ${ratioText(p)} | ${vsSwarm} | ${s(p.floor.down)} | ${s(p.clocker.down)} | ${s(p.swarm?.down)} |`);
  }
  const svg = lineChartSvg({
    title: `Deploy to healthy against members (one host, mean of ${TRIALS}, ${new Date().toISOString().slice(0, 10)})`,
    xLabel: 'members of one service',
    yLabel: 'seconds',
    series: ([
      { name: 'floor (dockerode)', color: '#777777', points: points.map((p): [number, number] => [p.n, p.floor.up / 1000]) },
      { name: 'Clocker', color: '#1f6fd1', points: points.map((p): [number, number] => [p.n, p.clocker.up / 1000]) },
      { name: 'Swarm mode', color: '#d1481f', points: points.flatMap((p): [number, number][] => (p.swarm ? [[p.n, p.swarm.up / 1000]] : [])) },
    ] satisfies Series[]).filter((x) => x.points.length > 0),
  });
  const file = join(__dirname, '..', 'docs', 'deploy-curve.svg');
  mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
  writeFileSync(file, svg);
  console.log(`written: docs/deploy-curve.svg`);
  const at = points.find((p) => p.n === ROW_AT);
  const curve = points.map((p) => `${p.n}: ${ratioText(p)}`).join(', ');
  const rows: ResultRow[] = at
    ? [
        {
          measure: `deploy ${at.n} to healthy`,
          kind: 'time',
          floor: at.floor.up,
          clocker: at.clocker.up,
          ...(at.swarm ? { swarm: at.swarm.up } : {}),
          ...(at.swarmMissed ? { swarmMissed: SWARM_DEADLINE_MS, note: `Swarm: ${at.swarmMissed.healthy} of ${at.n} tasks healthy at ${SWARM_DEADLINE_MS / 1000} s; its health checks exec a command in every container each second, and at this count on this machine they time out, so tasks are killed and started anew` } : {}),
          target: '≤ 1.2× floor, below Swarm',
        },
        { measure: `destroy ${at.n}`, kind: 'time', floor: at.floor.down, clocker: at.clocker.down, ...(at.swarm?.down !== undefined ? { swarm: at.swarm.down } : {}), target: '≤ 1.3× floor' },
      ]
    : [];
  rows.push({ measure: `deploy curve ${points[0]!.n}–${points.at(-1)!.n} members (docs/deploy-curve.svg)`, kind: 'time', clocker: points.at(-1)!.clocker.up, floor: points.at(-1)!.floor.up, note: `Clocker/floor by count, mean of ${TRIALS} trials: ${curve}` });
  printResult({ bench: 'scale', rows });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
