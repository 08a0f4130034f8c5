// Deploy, resize and destroy across the 3-host rig (issue #16: "30 members across the 3 rig
// hosts"), on three sides in one run: the floor (dockerode, in parallel, the containers spread
// round-robin over the 3 engines), Clocker (one service of 30 members, placed by its default
// strategy, a tcp probe), and Docker Swarm mode (the 3 engines in one swarm, a service of 30
// replicas with the same health check as the local bench). Each: deploy 30 to healthy, resize
// 30 → 40 (new members healthy), destroy the 40.
//
// Clocker is measured per network: `none` (published ports only, as the floor), `bridge` (an
// application network with `driver: bridge`: one bridge per host) and `overlay` (an application
// network naming no driver, which on a 3-host infrastructure becomes Docker's swarm overlay; the
// application forms the rig's swarm on its first deploy). The floor makes the same network as
// the variant it is compared with (none; a bridge on every engine; an attachable overlay made on
// a manager), inside the deploy's time, and removes it inside the destroy's. Swarm mode on the
// engines is left for last: first alternating rounds of the floor and the Clocker variants that
// need no swarm; then Clocker's first overlay application, which forms the swarm (once per
// infrastructure: printed apart, not a round), and alternating rounds of the overlay's floor and
// Clocker; then Swarm mode's rounds.
//
//   node --import tsx bench/rig.bench.ts     (~8–10 min; root: a 3-host rig with a dockerd each, own dev server and worker)
//   BENCH_ROUNDS (default 3), BENCH_MEMBERS (default 30), BENCH_RIG_NETWORKS (default none,bridge,overlay),
//   BENCH_RIG_SWARM=0 leaves Swarm mode out.
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type Docker from 'dockerode';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../client/images/busyboxImage';
import { copyImage } from '../client/images/imageTransfer';
import type { ServiceView } from '../domain/application/status';
import type { Blueprint, NetworkSpec } from '../domain/blueprint/model';
import { workflowIds } from '../domain/naming';
import { serviceStatusQuery } from '../workflows/messages';
import { createRig, type Rig, type RigHost } from '../test/rig/rig';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startStack, type Stack } from '../test/support/stack';
import { printResult, type ResultRow } from './support/benchResult';
import { floorDown, floorNetworkDown, floorNetworkUp, floorUpOn, HTTPD_COMMAND, type FloorEngine } from './support/floor';
import { runningAfter } from './support/runningAt';
import { formatSummary, summarize, type Summary } from './support/stats';
import { clearSwarmService, createSwarmService, scaleSwarmService, swarmContainers } from './support/swarmPeer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30);
const GROW = 10;
type Variant = 'none' | 'bridge' | 'overlay';
const VARIANTS = (process.env.BENCH_RIG_NETWORKS ?? 'none,bridge,overlay').split(',').map((s) => s.trim()) as Variant[];
const SWARM = process.env.BENCH_RIG_SWARM !== '0';
/** As the local bench: Docker's HEALTHCHECK for Swarm and Clocker's probe, every second. */
const HEALTH_INTERVAL_MS = 1000;
const POLL_MS = 50;
const DEADLINE_MS = 180_000;
const RUN = `r${process.pid}`;
const INFRA = `rigbench-${RUN}`;
const FLOOR = `floor-${RUN}`;
const SWARM_SERVICE = `swarm-${RUN}`;

interface Engine {
  host: RigHost;
  docker: Docker;
}
interface Side {
  deploy: number[];
  resize: number[];
  destroy: number[];
}
const emptySide = (): Side => ({ deploy: [], resize: [], destroy: [] });

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

// --- the floor -------------------------------------------------------------------------------
const floorEngines = (engines: Engine[]): FloorEngine[] => engines.map(({ host, docker }) => ({ docker, address: host.address }));

/**
 * The floor for one of Clocker's network variants: none (published ports only), a bridge made on
 * every engine, or an attachable overlay made on `manager`; the network is made inside the
 * deploy's time and removed inside the destroy's, as Clocker does with its application network.
 */
async function floorRound(engines: Engine[], side: Side, variant: Variant, manager?: Docker): Promise<void> {
  const network = `${FLOOR}-net`;
  const dockers = variant === 'overlay' ? [manager!] : engines.map((e) => e.docker);
  let started = performance.now();
  if (variant !== 'none') await floorNetworkUp(variant, dockers, network, FLOOR);
  await floorUpOn(floorEngines(engines), FLOOR, 0, MEMBERS, variant === 'none' ? undefined : network);
  side.deploy.push(performance.now() - started);
  side.resize.push(await floorUpOn(floorEngines(engines), FLOOR, MEMBERS, GROW, variant === 'none' ? undefined : network));
  started = performance.now();
  await Promise.all(engines.map(({ docker }) => floorDown(docker, FLOOR)));
  if (variant !== 'none') await floorNetworkDown(variant, dockers, FLOOR);
  side.destroy.push(performance.now() - started);
}

// --- Clocker -------------------------------------------------------------------------------
function appBlueprint(app: string, variant: Variant): Blueprint {
  const web = serviceSpec({
    id: 'web',
    image: BUSYBOX_IMAGE,
    count: MEMBERS,
    size: { initial: MEMBERS, min: MEMBERS, max: MEMBERS + GROW },
    command: HTTPD_COMMAND,
    ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    health: { probe: { kind: 'tcp', port: 80 }, intervalMs: HEALTH_INTERVAL_MS, timeoutMs: 2000, retries: 3, startPeriodMs: 0 },
    ...(variant === 'none' ? {} : { networks: [{ network: 'net', aliases: [] }] }),
  });
  // overlay: no driver written, so the application's default for a 3-host infrastructure (overlay).
  const net: NetworkSpec = { id: 'net', dnsServers: [], shared: false, addIptablesRules: false, labels: {}, ...(variant === 'bridge' ? { driver: 'bridge' as const } : {}) };
  return { ...blueprint(app, [web], INFRA), networks: variant === 'none' ? [] : [net] };
}

interface ClockerRound {
  app: string;
  deployAskedAt: number;
  resizeAskedAt: number;
  destroyAskedAt: number;
}

async function clockerRound(stack: Stack, app: string, variant: Variant, side: Side): Promise<ClockerRound> {
  const service = stack.clocker.temporal.workflow.getHandle(workflowIds.service(app, 'web'));
  const view = (): Promise<ServiceView> => service.query(serviceStatusQuery);
  const allRunning = async (size: number) => {
    const v = await view();
    return v.members.length === size && v.members.every((m) => m.state === 'RUNNING');
  };
  const deployAskedAt = Date.now();
  await stack.clocker.deploy(appBlueprint(app, variant));
  // The moment from the history, polled as the CLI does (bench/support/runningAt.ts).
  side.deploy.push(await runningAfter(stack.clocker, app, deployAskedAt, DEADLINE_MS));
  if (!(await allRunning(MEMBERS))) throw new Error(`${app} RUNNING without ${MEMBERS} running members`);
  const perHost = new Map<string, number>();
  for (const m of (await view()).members) perHost.set(m.hostId, (perHost.get(m.hostId) ?? 0) + 1);
  console.log(`  clocker ${variant}: members per host ${[...perHost].map(([h, n]) => `${h} ${n}`).join(', ')}`);
  const resizeAskedAt = Date.now();
  side.resize.push(await timed(`clocker resize ${app}`, () => stack.clocker.resizeService(app, 'web', { by: GROW }), () => allRunning(MEMBERS + GROW)));
  const destroyAskedAt = Date.now();
  const started = performance.now();
  const gone = await stack.clocker.destroy(app, DEADLINE_MS, undefined, POLL_MS);
  if (gone.status !== 'DESTROYED') throw new Error(`${app} not destroyed: ${gone.status}`);
  side.destroy.push(performance.now() - started);
  return { app, deployAskedAt, resizeAskedAt, destroyAskedAt };
}

// --- where Clocker's time goes (from the histories) ---------------------------------------------
type Event = temporal.api.history.v1.IHistoryEvent;
const ms = (t: Event['eventTime']) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

/** Events of every run of a workflow id (continue-as-new followed). */
async function events(raw: Client, workflowId: string): Promise<Event[]> {
  const all: Event[] = [];
  for await (const wf of raw.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    all.push(...((await raw.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()).events ?? []));
  }
  return all.sort((a, b) => ms(a.eventTime) - ms(b.eventTime));
}

/** Per activity type scheduled in [from, to): calls, mean queue+run and mean run (ms), first schedule and last close after `from`. */
function activitySteps(history: Event[], from: number, to: number): string {
  const scheduled = new Map<string, { type: string; at: number }>();
  const started = new Map<string, number>();
  const steps = new Map<string, { n: number; total: number; run: number; first: number; last: number }>();
  for (const e of history) {
    const id = String(e.eventId);
    const at = ms(e.eventTime);
    if (e.activityTaskScheduledEventAttributes && at >= from && at < to) scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at });
    if (e.activityTaskStartedEventAttributes) started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), at);
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskCanceledEventAttributes;
    const s = closed ? scheduled.get(String(closed.scheduledEventId)) : undefined;
    if (!closed || !s) continue;
    const t = steps.get(s.type) ?? { n: 0, total: 0, run: 0, first: s.at, last: at };
    t.n++;
    t.total += at - s.at;
    t.run += at - (started.get(String(closed.scheduledEventId)) ?? s.at);
    t.first = Math.min(t.first, s.at);
    t.last = Math.max(t.last, at);
    steps.set(s.type, t);
  }
  return [...steps]
    .sort((a, b) => a[1].first - b[1].first)
    .map(([type, t]) => `${type} ×${t.n}: mean ${Math.round(t.total / t.n)} ms (run ${Math.round(t.run / t.n)}), +${t.first - from}…+${t.last - from} ms`)
    .join('\n      ');
}

async function describeRound(stack: Stack, variant: Variant, r: ClockerRound): Promise<void> {
  const raw = stack.clocker.temporal;
  const [app, svc] = await Promise.all([events(raw, workflowIds.application(r.app)), events(raw, workflowIds.service(r.app, 'web'))]);
  const both = [...app, ...svc].sort((a, b) => ms(a.eventTime) - ms(b.eventTime));
  console.log(`  clocker ${variant}, where the time went (${r.app}; ms after the client asked; history: application ${app.length} + service ${svc.length} events):`);
  console.log(`    deploy:\n      ${activitySteps(both, r.deployAskedAt, r.resizeAskedAt)}`);
  console.log(`    resize:\n      ${activitySteps(both, r.resizeAskedAt, r.destroyAskedAt)}`);
  console.log(`    destroy:\n      ${activitySteps(both, r.destroyAskedAt, Number.MAX_SAFE_INTEGER)}`);
}

// --- Swarm mode ------------------------------------------------------------------------------
/** The rig's engines in one swarm: the one Clocker formed (overlay), else h1 starts it and the others join as managers. Answers a manager. */
async function rigSwarm(engines: Engine[]): Promise<Docker> {
  type Info = { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const infos = await Promise.all(engines.map(async (e) => ((await e.docker.info()) as Info).Swarm ?? {}));
  let manager = engines.find((_, i) => infos[i]!.ControlAvailable);
  if (!manager) {
    manager = engines[0]!;
    await manager.docker.swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: manager.host.address });
  }
  const tokens = ((await manager.docker.swarmInspect()) as { JoinTokens: { Manager: string } }).JoinTokens;
  await Promise.all(
    engines.map(async (e, i) => {
      if (e === manager || infos[i]!.LocalNodeState === 'active') return;
      await e.docker.swarmJoin({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: e.host.address, RemoteAddrs: [`${manager.host.address}:2377`], JoinToken: tokens.Manager });
    }),
  );
  return manager.docker;
}

async function swarmRound(manager: Docker, engines: Engine[], side: Side): Promise<void> {
  /** `size` tasks running, and as many healthy containers over the engines. */
  const healthy = async (size: number) => {
    const tasks = (await manager.listTasks({ filters: { service: [SWARM_SERVICE], 'desired-state': ['running'] } })) as { Status?: { State?: string } }[];
    if (tasks.filter((t) => t.Status?.State === 'running').length !== size) return false;
    const counts = await Promise.all(engines.map(async ({ docker }) => (await docker.listContainers({ filters: { label: [`io.clocker.bench=${SWARM_SERVICE}`], health: ['healthy'] } })).length));
    return counts.reduce((a, b) => a + b, 0) === size;
  };
  side.deploy.push(await timed('swarm create', () => createSwarmService(manager, SWARM_SERVICE, MEMBERS, HTTPD_COMMAND, { healthIntervalMs: HEALTH_INTERVAL_MS }), () => healthy(MEMBERS)));
  const perHost = await Promise.all(engines.map(async ({ host, docker }) => `${host.name} ${(await swarmContainers(docker, SWARM_SERVICE)).length}`));
  console.log(`  swarm: tasks per host ${perHost.join(', ')}`);
  side.resize.push(await timed('swarm scale', () => scaleSwarmService(manager, SWARM_SERVICE, MEMBERS + GROW), () => healthy(MEMBERS + GROW)));
  side.destroy.push(
    await timed('swarm remove', () => manager.getService(SWARM_SERVICE).remove(), async () => {
      const left = await Promise.all(engines.map(async ({ docker }) => (await swarmContainers(docker, SWARM_SERVICE, true)).length));
      return left.every((n) => n === 0);
    }),
  );
}

// --- the run -------------------------------------------------------------------------------
async function main(): Promise<void> {
  const dockerFor = createDockerClientFactory();
  const local = dockerFor(localDockerEndpoint());
  await ensureBusyboxImage(local);
  let rig: Rig | undefined;
  let stack: Stack | undefined;
  let manager: Docker | undefined;
  // One floor per network variant: Clocker on a network is compared with Docker making the same network.
  const floors = new Map<Variant, Side>(VARIANTS.map((v) => [v, emptySide()]));
  const clocker = new Map<Variant, Side>(VARIANTS.map((v) => [v, emptySide()]));
  const swarm = emptySide();
  const apps: string[] = [];
  const lastRound = new Map<Variant, ClockerRound>();
  let swarmFailed = '';
  try {
    rig = await createRig({ hosts: 3, docker: true });
    const engines: Engine[] = rig.hosts.map((host) => ({ host, docker: dockerFor(host.docker!) }));
    stack = await startStack();
    await Promise.all(engines.map(({ docker }) => copyImage(local, docker, BUSYBOX_IMAGE)));
    await stack.startWorker();
    await stack.clocker.ensureInfrastructure({
      name: INFRA,
      hosts: rig.hosts.map((h) => ({ id: h.name, address: h.address, docker: h.docker!, status: 'AVAILABLE', labels: {}, maxContainers: 50 })),
    });
    const runClocker = async (variant: Variant, round: number | 'warm-up', side = clocker.get(variant)!) => {
      const app = `rb${process.pid}${variant[0]}${round === 'warm-up' ? 'w' : round}`;
      apps.push(app);
      const r = await clockerRound(stack!, app, variant, side);
      if (round !== 'warm-up') lastRound.set(variant, r);
    };
    // Phase 1, no swarm on the engines: the floor and the Clocker variants that need none.
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`round ${round + 1}/${ROUNDS} (no swarm)`);
      for (const v of VARIANTS.filter((x) => x !== 'overlay')) {
        await floorRound(engines, floors.get(v)!, v);
        await runClocker(v, round);
      }
    }
    // Phase 2, the engines in a swarm: the overlay. Clocker's first overlay application forms the
    // infrastructure's swarm, once for the infrastructure's life; that deploy is not a round (the
    // floor's overlay needs the same swarm and never pays for it) and its time is printed apart.
    // Then the rounds, in phase 1's order: the floor, then Clocker.
    if (VARIANTS.includes('overlay')) {
      const warmUp = emptySide();
      await runClocker('overlay', 'warm-up', warmUp);
      console.log(`  clocker overlay, first deploy (forms the swarm; not a round): ${(warmUp.deploy[0]! / 1000).toFixed(2)} s`);
      manager = await rigSwarm(engines);
      for (let round = 0; round < ROUNDS; round++) {
        console.log(`round ${round + 1}/${ROUNDS} (swarm, overlay)`);
        await floorRound(engines, floors.get('overlay')!, 'overlay', manager);
        await runClocker('overlay', round);
      }
    }
    // Phase 3, Swarm mode on the same swarm (far from its targets, so not interleaved: its 30
    // tasks' health checks load the engines for minutes, which the rounds above do not share).
    if (SWARM) {
      manager ??= await rigSwarm(engines);
      for (let round = 0; round < ROUNDS && !swarmFailed; round++) {
        console.log(`round ${round + 1}/${ROUNDS} (Swarm mode)`);
        // Swarm not reaching healthy in time is a result, not a reason to lose the others.
        await swarmRound(manager, engines, swarm).catch(async (err: unknown) => {
          swarmFailed = `Swarm round ${round + 1}: ${err instanceof Error ? err.message : String(err)}`;
          console.error(swarmFailed);
          await clearSwarmService(manager!, SWARM_SERVICE, 120_000);
        });
      }
    }
    for (const [v, r] of lastRound) await describeRound(stack, v, r);
  } catch (err) {
    console.error('rig bench failed:', err);
    process.exitCode = 1;
  } finally {
    // The rig's dockerds go with it (their containers too); the apps go first so the worker stops touching them.
    const cleanup: [string, () => Promise<unknown>][] = [
      ['swarm service', async () => manager && clearSwarmService(manager, SWARM_SERVICE, 60_000)],
      ...apps.map((app): [string, () => Promise<unknown>] => [
        `clocker app ${app}`,
        async () => {
          const s = await stack?.clocker.status(app).catch(() => undefined);
          if (s && s.status !== 'DESTROYED') await stack!.clocker.destroy(app, 60_000);
        },
      ]),
      ['stack', async () => stack?.stop()],
      ['rig', async () => rig?.teardown()],
    ];
    for (const [what, step] of cleanup) await step().catch((err: unknown) => console.error(`cleanup of ${what} failed:`, err));
  }
  // What was measured is reported, even when a later step failed.
  const measured = (m: Map<Variant, Side>) => new Map([...m].filter(([, side]) => side.destroy.length > 0));
  if (measured(floors).size > 0) report(measured(floors), measured(clocker), swarm, swarmFailed);
}

function report(floors: Map<Variant, Side>, clocker: Map<Variant, Side>, swarm: Side, swarmFailed: string): void {
  const label: Record<Variant, string> = { none: 'no network, published ports', bridge: 'a bridge network per host', overlay: 'the default network: overlay' };
  const floorOf = (v: Variant) => {
    const side = floors.get(v)!;
    return { side, deploy: summarize(side.deploy), resize: summarize(side.resize), destroy: summarize(side.destroy) };
  };
  if (swarmFailed) console.log(`\n${swarmFailed}`);
  const s = swarm.destroy.length > 0 ? { deploy: summarize(swarm.deploy), resize: summarize(swarm.resize), destroy: summarize(swarm.destroy) } : undefined;
  const rows: ResultRow[] = [];
  // Only variants measured on both sides: a round that died leaves one side without its figures.
  const paired = [...clocker].filter(([variant]) => floors.has(variant));
  for (const [variant, side] of paired) {
    const f = floorOf(variant);
    const note = `3 rig hosts, Clocker and the floor: ${label[variant]}`;
    rows.push(
      { measure: `rig: deploy ${MEMBERS} to healthy`, kind: 'time', floor: f.deploy, clocker: summarize(side.deploy), ...(s ? { swarm: s.deploy } : {}), target: '≤ 1.15× floor, ≤ 0.7× Swarm', note },
      { measure: `rig: resize ${MEMBERS} → ${MEMBERS + GROW}, new members healthy`, kind: 'time', floor: f.resize, clocker: summarize(side.resize), ...(s ? { swarm: s.resize } : {}), target: '≤ 1× Swarm', note },
      { measure: `rig: destroy ${MEMBERS + GROW}`, kind: 'time', floor: f.destroy, clocker: summarize(side.destroy), ...(s ? { swarm: s.destroy } : {}), target: '≤ 1.3× floor', note },
    );
  }
  const ratio = (a: Summary, b: Summary | undefined) => (b ? `${(a.median / b.median).toFixed(2)}×` : '—');
  const spread = (x: Summary | undefined, samples: number[]) => (x ? `${formatSummary(x)} (${samples.map((m) => (m / 1000).toFixed(2)).join(', ')})` : '—');
  console.log(`\n${MEMBERS} busybox httpd members across 3 rig hosts, ${ROUNDS} rounds; median / p95 s (every round)`);
  console.log('| measure | network (both) | floor | Clocker | Swarm | Clocker/floor | Clocker/Swarm | target |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [variant, side] of paired) {
    const f = floorOf(variant);
    for (const m of ['deploy', 'resize', 'destroy'] as const) {
      const c = summarize(side[m]);
      const what = m === 'deploy' ? `deploy ${MEMBERS} to healthy` : m === 'resize' ? `resize ${MEMBERS} → ${MEMBERS + GROW}` : `destroy ${MEMBERS + GROW}`;
      const target = m === 'deploy' ? '≤ 1.15× floor, ≤ 0.7× Swarm' : m === 'resize' ? '≤ 1× Swarm' : '≤ 1.3× floor';
      console.log(`| ${what} | ${variant} | ${spread(f[m], f.side[m])} | ${spread(c, side[m])} | ${spread(s?.[m], swarm[m])} | ${ratio(c, f[m])} | ${ratio(c, s?.[m])} | ${target} |`);
    }
  }
  printResult({ bench: 'rig', rows });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
