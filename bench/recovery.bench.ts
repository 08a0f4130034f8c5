// Keeping a service alive and resizing it, beside Docker Swarm mode on the same engine in the
// same run (issue #11), with the dockerode floor for reference (issue #16). One service of N
// busybox httpd members with a health check every second on every side:
//   deploy  N to healthy;
//   recovery: `docker kill` of one member → a healthy member in its place (Clocker: the
//     service reports it RUNNING again and it answers HTTP; Swarm: N tasks running, each
//     healthy, the killed container not among them; floor: `docker start` at once);
//   resize +10 → all new members healthy (Clocker: the resize Update; Swarm: `docker service
//     scale`; floor: 10 more containers in parallel), then back to N (not timed);
//   destroy N.
//   node --import tsx bench/recovery.bench.ts   (~6–8 min, most of it Swarm; local Docker engine, own dev server and worker)
// BENCH_TRIALS (default 10) kills and resizes per side; BENCH_MEMBERS (default 30).
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import type { ServiceView } from '../domain/application/status';
import { LABEL, workflowIds } from '../domain/naming';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { serviceStatusQuery } from '../workflows/messages';
import { httpGet } from '../test/support/dockerChecks';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startLocalStack, type Stack } from '../test/support/stack';
import { printResult, type ResultRow } from './support/benchResult';
import { floorDown, floorRestart, floorUp, HTTPD_COMMAND } from './support/floor';
import { runningAfter } from './support/runningAt';
import { formatSummary, summarize, type Summary } from './support/stats';
import { describeSteps, recoverySteps, type Kill } from './support/recoveryBreakdown';
import { clearSwarmService, createSwarmService, joinLocalSwarm, leaveLocalSwarm, removeSwarmService, scaleSwarmService, swarmContainers, swarmHealthy } from './support/swarmPeer';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
const GROW = 10;
/**
 * Both sides check health this often. Docker runs a HEALTHCHECK as an exec in the container:
 * at 250 ms, 30 members made 120 execs a second and the engine (2 cores) could not start a
 * swarm service of 30 within two minutes. Clocker probes from the worker over HTTP.
 */
const HEALTH_INTERVAL_MS = 1000;
const POLL_MS = 50;
const DEADLINE_MS = 120_000;
// Unique per run: other engineers' tests share the engine.
const RUN = `b${process.pid}`;
const APP = `rcv${RUN}`;
const SWARM_SERVICE = `swarm-${RUN}`;
const FLOOR = `floor-${RUN}`;

interface Side {
  deploy: number[];
  recovery: number[];
  /** Swarm only: recovery with its restart delay set to 0 (its default is 5 s). */
  recoveryNoDelay?: number[];
  resize: number[];
  destroy: number[];
}
const emptySide = (): Side => ({ deploy: [], recovery: [], resize: [], destroy: [] });

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function timed(what: string, act: () => Promise<unknown>, done: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  await act();
  await until(what, done);
  return performance.now() - started;
}

// --- the floor ---------------------------------------------------------------------------
async function floorSide(docker: Docker): Promise<Side> {
  const side = emptySide();
  side.deploy.push(await floorUp(docker, FLOOR, 1, MEMBERS));
  for (let t = 0; t < TRIALS; t++) side.recovery.push(await floorRestart(docker, `${FLOOR}-${(t % MEMBERS) + 1}`));
  for (let t = 0; t < TRIALS; t++) {
    side.resize.push(await floorUp(docker, `${FLOOR}-more`, 1, GROW));
    await floorDown(docker, `${FLOOR}-more`);
  }
  side.destroy.push(await floorDown(docker, FLOOR));
  return side;
}

// --- Clocker -------------------------------------------------------------------------------
async function clockerSide(docker: Docker, stack: Stack): Promise<Side> {
  const side = emptySide();
  const service = stack.clocker.temporal.workflow.getHandle(workflowIds.service(APP, 'web'));
  const view = (): Promise<ServiceView> => service.query(serviceStatusQuery);
  const answers = async (m: ServiceView['members'][number]): Promise<boolean> => {
    const port = m.ports.find((p) => p.containerPort === 80)?.boundHostPort;
    return port !== undefined && (await httpGet(`http://${m.hostAddress}:${port}/`)).ok;
  };
  /** `size` members RUNNING (none on their way in or out), each answering. */
  const allHealthy = async (size: number): Promise<boolean> => {
    const v = await view();
    if (v.members.length !== size || v.members.some((m) => m.state !== 'RUNNING')) return false;
    return (await Promise.all(v.members.map(answers))).every(Boolean);
  };
  const spec = serviceSpec({
    id: 'web',
    image: BUSYBOX_IMAGE,
    count: MEMBERS,
    size: { initial: MEMBERS, min: MEMBERS, max: MEMBERS + GROW },
    command: HTTPD_COMMAND,
    ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    health: { probe: { kind: 'http', port: 80, path: '/', expectStatus: 200 }, intervalMs: HEALTH_INTERVAL_MS, timeoutMs: 2000, retries: 3, startPeriodMs: 0 },
  });
  const askedAt = Date.now();
  await stack.clocker.deploy(blueprint(APP, [spec]));
  // The moment from the history, polled as the CLI does (bench/support/runningAt.ts); then every member must answer.
  side.deploy.push(await runningAfter(stack.clocker, APP, askedAt, DEADLINE_MS));
  if (!(await allHealthy(MEMBERS))) throw new Error(`${APP} RUNNING but not every member answers`);

  const kills: Kill[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const id = String((t % MEMBERS) + 1);
    const before = (await view()).members.find((m) => m.member === id)!;
    const at = Date.now();
    side.recovery.push(
      await timed(`clocker member ${id} back`, () => docker.getContainer(before.containerName).kill(), async () => {
        const m = (await view()).members.find((x) => x.member === id);
        return m !== undefined && m.state === 'RUNNING' && (m.restarts ?? 0) > (before.restarts ?? 0) && (await answers(m));
      }),
    );
    kills.push({ at, seen: Date.now() });
  }
  const steps = recoverySteps((await service.fetchHistory()).events ?? [], kills);
  console.log(`clocker recovery, medians over ${steps.length} of ${kills.length} kills: ${describeSteps(steps)}`);

  for (let t = 0; t < TRIALS; t++) {
    side.resize.push(await timed('clocker resize +10', () => stack.clocker.resizeService(APP, 'web', { by: GROW }), () => allHealthy(MEMBERS + GROW)));
    await stack.clocker.resizeService(APP, 'web', { by: -GROW });
    await until('clocker back to size', async () => (await view()).members.length === MEMBERS && (await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${APP}`] } })).length === MEMBERS);
  }

  const started = performance.now();
  const gone = await stack.clocker.destroy(APP, DEADLINE_MS);
  if (gone.status !== 'DESTROYED') throw new Error(`${APP} not destroyed: ${gone.status}`);
  side.destroy.push(performance.now() - started);
  return side;
}

// --- Swarm mode ------------------------------------------------------------------------------
async function swarmSide(docker: Docker): Promise<Side> {
  const side = emptySide();
  const healthy = async (size: number, not?: string, service = SWARM_SERVICE): Promise<boolean> => {
    const h = await swarmHealthy(docker, service);
    if (h.tasks !== size || h.containers !== size) return false;
    return not === undefined || !(await swarmContainers(docker, service)).some((c) => c.Id === not);
  };
  const kills = async (service: string): Promise<number[]> => {
    const times: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const victim = (await swarmContainers(docker, service))[0]!;
      times.push(await timed('swarm task back', () => docker.getContainer(victim.Id).kill(), () => healthy(MEMBERS, victim.Id, service)));
    }
    return times;
  };
  side.deploy.push(await timed('swarm create', () => createSwarmService(docker, SWARM_SERVICE, MEMBERS, HTTPD_COMMAND, { healthIntervalMs: HEALTH_INTERVAL_MS }), () => healthy(MEMBERS)));
  side.recovery = await kills(SWARM_SERVICE);

  for (let t = 0; t < TRIALS; t++) {
    side.resize.push(await timed('swarm scale +10', () => scaleSwarmService(docker, SWARM_SERVICE, MEMBERS + GROW), () => healthy(MEMBERS + GROW)));
    await scaleSwarmService(docker, SWARM_SERVICE, MEMBERS);
    await until('swarm back to size', async () => (await swarmContainers(docker, SWARM_SERVICE)).length === MEMBERS && (await healthy(MEMBERS)));
  }

  side.destroy.push(await removeSwarmService(docker, SWARM_SERVICE));

  // Swarm at its quickest: no restart delay (a setting, not its default), for an honest second comparison.
  if (process.env.BENCH_SWARM_NO_DELAY !== '0') {
    await createSwarmService(docker, `${SWARM_SERVICE}-nd`, MEMBERS, HTTPD_COMMAND, { healthIntervalMs: HEALTH_INTERVAL_MS, restartDelayMs: 0 });
    await until('swarm (no delay) up', () => healthy(MEMBERS, undefined, `${SWARM_SERVICE}-nd`));
    side.recoveryNoDelay = await kills(`${SWARM_SERVICE}-nd`);
    await removeSwarmService(docker, `${SWARM_SERVICE}-nd`);
  }
  return side;
}

// --- the run -------------------------------------------------------------------------------
async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const swarm = await joinLocalSwarm(docker);
  const stack = await startLocalStack(docker);
  let sides: { floor: Side; clocker: Side; swarm: Side } | undefined;
  try {
    const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await work();
      console.log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return result;
    };
    const floor = await phase('floor', () => floorSide(docker));
    const clocker = await phase('clocker', () => clockerSide(docker, stack));
    const peer = await phase('swarm', () => swarmSide(docker));
    sides = { floor, clocker, swarm: peer };
  } catch (err) {
    console.error('recovery bench failed:', err); // said now: the cleanup below may take long or fail too
    process.exitCode = 1;
  } finally {
    // Everything this run made goes, whatever failed; a failure to clean up is said, not hidden.
    const cleanup: [string, () => Promise<unknown>][] = [
      ['swarm service', () => clearSwarmService(docker, SWARM_SERVICE)],
      ['swarm service (no delay)', () => clearSwarmService(docker, `${SWARM_SERVICE}-nd`)],
      ['clocker app', async () => (await stack.clocker.status(APP).catch(() => undefined))?.status !== 'DESTROYED' && (await stack.clocker.destroy(APP, DEADLINE_MS).catch(() => undefined))],
      ['floor containers', () => Promise.all([floorDown(docker, FLOOR), floorDown(docker, `${FLOOR}-more`)])],
      ['stack', () => stack.stop()],
      ['swarm', async () => console.log(await leaveLocalSwarm(docker, swarm))],
    ];
    for (const [what, step] of cleanup) await step().catch((err: unknown) => console.error(`cleanup of ${what} failed:`, err));
  }
  if (sides) report(sides);
}

function report({ floor, clocker, swarm }: { floor: Side; clocker: Side; swarm: Side }): void {
  const rows: ResultRow[] = [
    { measure: `deploy ${MEMBERS} to healthy`, kind: 'time', floor: summarize(floor.deploy), clocker: summarize(clocker.deploy), swarm: summarize(swarm.deploy), target: '≤ 1.15× floor, ≤ 0.7× Swarm' },
    { measure: `recovery: docker kill → healthy (1 of ${MEMBERS})`, kind: 'time', floor: summarize(floor.recovery), clocker: summarize(clocker.recovery), swarm: summarize(swarm.recovery), target: '≤ 0.5× Swarm', note: 'floor: docker start at once' },
    ...(swarm.recoveryNoDelay
      ? [{ measure: `recovery, Swarm with restart-delay 0 (not its default)`, kind: 'time' as const, clocker: summarize(clocker.recovery), swarm: summarize(swarm.recoveryNoDelay), target: '—', note: 'Clocker: the same trials as above' }]
      : []),
    { measure: `resize ${MEMBERS} → ${MEMBERS + GROW}, new members healthy`, kind: 'time', floor: summarize(floor.resize), clocker: summarize(clocker.resize), swarm: summarize(swarm.resize), target: '≤ 1× Swarm' },
    { measure: `destroy ${MEMBERS}`, kind: 'time', floor: summarize(floor.destroy), clocker: summarize(clocker.destroy), swarm: summarize(swarm.destroy), target: '≤ 1.3× floor' },
  ];
  const ratio = (a: Summary, b: Summary | undefined) => (b ? `${(a.median / b.median).toFixed(2)}×` : '—');
  console.log(`\n${MEMBERS} busybox httpd members, health check every ${HEALTH_INTERVAL_MS} ms; medians / p95 over n trials`);
  console.log('| measure | n | floor | Clocker | Swarm | Clocker/floor | Clocker/Swarm | target |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const [c, f, s] = [r.clocker, r.floor, r.swarm] as Summary[];
    console.log(`| ${r.measure} | ${c!.n} | ${f ? formatSummary(f) : '—'} | ${formatSummary(c!)} | ${formatSummary(s!)} | ${ratio(c!, f)} | ${ratio(c!, s)} | ${r.target} |`);
  }
  printResult({ bench: 'recovery', rows });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
