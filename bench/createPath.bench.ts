// The create and teardown paths, step by step: deploy and destroy of N busybox members through
// Clocker beside the dockerode floor (alternating rounds, same run), with what the histories
// say (events per member, time per activity type) and the worker process's RSS.
//   node --import tsx bench/createPath.bench.ts     (~2 min; local Docker engine, own dev server and worker)
//   MEMBERS=30 ROUNDS=3
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { createDockerClientFactory, localDockerEndpoint } from '../activities/docker/dockerClient';
import { floorDown, floorUp, HTTPD_COMMAND } from './support/floor';
import { execFileSync } from 'node:child_process';
import { cpuSecondsOf, rssOf } from './support/processStats';
import { runningAfter } from './support/runningAt';
import { printResult } from './support/benchResult';
import { summarize } from './support/stats';
import { BUSYBOX_IMAGE } from '../client/images/busyboxImage';
import { workflowIds } from '../domain/naming';
import { blueprint, serviceSpec } from '../test/support/specs';
import { startLocalStack, type Stack } from '../test/support/stack';
import { localInfrastructure } from '../client/commands/up';

const MEMBERS = Number(process.env.MEMBERS ?? 30);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const FLOOR_APP = `bench-floor-${process.pid}`;
/** NETWORK=1: the members join an application network (bridge, subnet and addresses from IPAM). */
const NETWORK = process.env.NETWORK === '1';

/** The Docker engine's processes (dockerd, containerd and their shims, docker-proxy): their CPU is what the floor costs. */
function enginePids(): number[] {
  const out = execFileSync('pgrep', ['-d', ' ', '-x', 'dockerd|containerd|containerd-shim|containerd-shim-runc-v2|docker-proxy'], { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split(' ').map(Number);
}

/** CPU seconds used during `work` by: the engine's processes (those alive at the end), the worker, the dev server and this process. */
async function cpuDuring<T>(pids: { worker: number; server: number }, work: () => Promise<T>): Promise<{ value: T; cpu: CpuShare }> {
  const read = (pid: number) => {
    try {
      return cpuSecondsOf(pid);
    } catch {
      return 0; // gone meanwhile (a shim of a removed container): what it used is not counted
    }
  };
  const engineBefore = new Map(enginePids().map((p) => [p, read(p)]));
  const [worker, server, self] = [read(pids.worker), read(pids.server), process.cpuUsage()];
  const value = await work();
  const engine = enginePids().reduce((sum, p) => sum + read(p) - (engineBefore.get(p) ?? 0), 0);
  const own = process.cpuUsage(self);
  return { value, cpu: { engine, worker: read(pids.worker) - worker, server: read(pids.server) - server, bench: (own.user + own.system) / 1e6 } };
}

interface CpuShare {
  engine: number;
  worker: number;
  server: number;
  bench: number;
}

/** The worker's resident set now, in whole MiB. */
const rssMiB = (pid: number): number => Math.round(rssOf(pid).rss);

/** Samples the worker's RSS while `work` runs; returns the work's result and the peak. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);
  try {
    return { value: await work(), peakMiB: peak };
  } finally {
    clearInterval(timer);
  }
}

/** The local infrastructure, or one of the same engine with room when MEMBERS is past its 100 containers. */
const INFRA = MEMBERS + 10 > 100 ? 'createpath' : 'local';

let deployStartedAt = 0;

async function clockerDeploy(stack: Stack, app: string): Promise<number> {
  deployStartedAt = Date.now();
  const web = serviceSpec({ id: 'web', image: BUSYBOX_IMAGE, count: MEMBERS, command: HTTPD_COMMAND, ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }], ...(NETWORK ? { networks: [{ network: 'net', aliases: [] }] } : {}) });
  const networks = NETWORK ? [{ id: 'net', driver: 'bridge' as const, dnsServers: [], shared: false, addIptablesRules: false, labels: {} }] : [];
  await stack.clocker.deploy({ ...blueprint(app, [web], INFRA), networks });
  // Polled as the CLI does; the moment is the history's (bench/support/runningAt.ts).
  return runningAfter(stack.clocker, app, deployStartedAt);
}

type Event = temporal.api.history.v1.IHistoryEvent;
const ms = (t: Event['eventTime']) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

/** Events of every run of a workflow id (continue-as-new followed). */
async function events(raw: Client, workflowId: string): Promise<Event[]> {
  const all: Event[] = [];
  for await (const wf of raw.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    all.push(...((await raw.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()).events ?? []));
  }
  return all;
}

/** Per activity type: calls, mean schedule→close and start→close in ms. */
function activityTimes(history: Event[]): Map<string, { n: number; total: number; run: number; retried: number }> {
  const scheduled = new Map<string, { type: string; at: number }>();
  const startedAt = new Map<string, number>();
  const attempts = new Map<string, number>();
  const times = new Map<string, { n: number; total: number; run: number; retried: number }>();
  for (const e of history) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: ms(e.eventTime) });
    if (e.activityTaskStartedEventAttributes) {
      startedAt.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), ms(e.eventTime));
      attempts.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), e.activityTaskStartedEventAttributes.attempt ?? 1);
    }
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (!closed) continue;
    const s = scheduled.get(String(closed.scheduledEventId));
    if (!s) continue;
    const t = times.get(s.type) ?? { n: 0, total: 0, run: 0, retried: 0 };
    t.n++;
    if ((attempts.get(String(closed.scheduledEventId)) ?? 1) > 1) t.retried++;
    t.total += ms(e.eventTime) - s.at;
    t.run += ms(e.eventTime) - (startedAt.get(String(closed.scheduledEventId)) ?? s.at);
    times.set(s.type, t);
  }
  return times;
}

/** When the deploy's milestones happened, in ms after the client asked. */
function timeline(app: Event[], svc: Event[]): string {
  const at = (e: Event | undefined) => (e ? `${ms(e.eventTime) - deployStartedAt}` : '?');
  const activity = (events: Event[], name: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name);
  const closedAfter = (events: Event[], scheduled: Event[]) => {
    const ids = new Set(scheduled.map((e) => String(e.eventId)));
    return events.filter((e) => ids.has(String((e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes)?.scheduledEventId ?? '')));
  };
  // Since issue #16's batches a host's members start in one startMembers; before, one startMember each (or ensureContainer, then waitHealthy).
  const starts = activity(svc, 'startMembers').concat(activity(svc, 'startMember'), activity(svc, 'ensureContainer'));
  const firstType = starts[0]?.activityTaskScheduledEventAttributes?.activityType?.name;
  const upType = firstType === 'ensureContainer' ? 'waitHealthy' : (firstType ?? 'startMember');
  const points: [string, Event | undefined][] = [
    ['application started', app[0]],
    ['dry run done', closedAfter(app, activity(app, 'admissionDryRun'))[0]],
    ['hosts checked', closedAfter(app, activity(app, 'checkHost')).at(-1)],
    ['networks made', closedAfter(app, activity(app, 'ensureNetwork')).at(-1)],
    ['service started', svc[0]],
    ['placed', closedAfter(svc, activity(svc, 'placeMembers'))[0]],
    ['first create asked', starts[0]],
    ['first member up', closedAfter(svc, activity(svc, upType))[0]],
    ['last member up', closedAfter(svc, activity(svc, upType)).at(-1)],
  ];
  return points.map(([what, e]) => `${what} ${at(e)}`).join(', ');
}

/** When the destroy's milestones happened, in ms after the client asked. */
function destroyTimeline(app: Event[], svc: Event[], askedAt: number): string {
  const at = (e: Event | undefined) => (e ? `${ms(e.eventTime) - askedAt}` : '?');
  const after = (events: Event[]) => events.filter((e) => ms(e.eventTime) >= askedAt);
  const [a, v] = [after(app), after(svc)];
  const scheduled = (events: Event[], name: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name);
  const closed = (events: Event[], name: string) => {
    const ids = new Set(scheduled(events, name).map((e) => String(e.eventId)));
    return events.filter((e) => ids.has(String((e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes)?.scheduledEventId ?? '')));
  };
  // Since issue #16's batches a host's members go in one removeContainers; before, one removeContainer each.
  const removal = scheduled(v, 'removeContainers').length > 0 ? 'removeContainers' : 'removeContainer';
  const points: [string, Event | undefined][] = [
    ['app signalled', a.find((e) => e.workflowExecutionSignaledEventAttributes)],
    ['service signalled', v.find((e) => e.workflowExecutionSignaledEventAttributes)],
    ['first remove asked', scheduled(v, removal)[0]],
    ['first removed', closed(v, removal)[0]],
    ['last removed', closed(v, removal).at(-1)],
    ['released', closed(v, 'releaseMembers').at(-1)],
    ['service closed', v.at(-1)],
    ['app hears child end', a.find((e) => e.childWorkflowExecutionCompletedEventAttributes)],
    ['hosts listed', closed(a, 'liveHostEndpoints').at(-1)],
    ['swept', closed(a, 'removeAppResources').at(-1)],
    ['app closed', a.at(-1)],
  ];
  return points.map(([what, e]) => `${what} ${at(e)}`).join(', ');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  const stack = await startLocalStack(docker);
  // The local infrastructure takes 100 containers; a larger run gets an infrastructure of the same engine with room for it.
  if (INFRA !== 'local') {
    const local = await localInfrastructure(docker);
    await stack.clocker.ensureInfrastructure({ ...local, name: INFRA, hosts: local.hosts.map((h) => ({ ...h, maxContainers: MEMBERS + 10 })) });
  }
  const pid = stack.workers[0]!.pid!;
  const pids = { worker: pid, server: stack.server.process.pid! };
  const cpu: { floor: CpuShare; clocker: CpuShare }[] = [];
  const raw = stack.clocker.temporal;
  const rows: { floorUp: number; floorDown: number; up: number; down: number }[] = [];
  const rss: { idle: number; peakDeploy: number; running: number; peakDestroy: number; afterDestroy: number }[] = [];
  let perMember = '';
  let eventsPerMember = Number.NaN;
  let milestones = '';
  let times = '';
  let teardown = '';
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const floored = await cpuDuring(pids, () => floorUp(docker, FLOOR_APP, 0, MEMBERS));
      const floorUpMs = floored.value;
      const floorDownMs = await floorDown(docker, FLOOR_APP);
      const app = `bcp${process.pid}r${round}`;
      const idle = rssMiB(pid);
      const measured = await cpuDuring(pids, () => sampled(pid, () => clockerDeploy(stack, app)));
      const deployed = measured.value;
      cpu.push({ floor: floored.cpu, clocker: measured.cpu });
      const running = rssMiB(pid);
      const svcEvents = await events(raw, workflowIds.service(app, 'web'));
      const appEvents = await events(raw, workflowIds.application(app));
      const destroyAskedAt = Date.now();
      const destroyed = await sampled(pid, async () => {
        const t = performance.now();
        await stack.clocker.destroy(app, 300_000);
        return performance.now() - t;
      });
      await new Promise((r) => setTimeout(r, 3_000));
      rss.push({ idle, peakDeploy: deployed.peakMiB, running, peakDestroy: destroyed.peakMiB, afterDestroy: rssMiB(pid) });
      rows.push({ floorUp: floorUpMs, floorDown: floorDownMs, up: deployed.value, down: destroyed.value });
      console.log(`round ${round}: floor ${s(floorUpMs)} / ${s(floorDownMs)}; clocker ${s(deployed.value)} / ${s(destroyed.value)}`);
      if (round === ROUNDS) {
        milestones = timeline(appEvents, svcEvents);
        eventsPerMember = svcEvents.length / MEMBERS;
        perMember = `service workflow ${svcEvents.length} events (${eventsPerMember.toFixed(1)} per member), application ${appEvents.length}`;
        const all = await events(raw, workflowIds.service(app, 'web'));
        teardown = destroyTimeline(await events(raw, workflowIds.application(app)), all, destroyAskedAt);
        times = [...activityTimes(all)].map(([type, t]) => `  ${type.padEnd(20)} ×${String(t.n).padStart(3)}  queue+run ${(t.total / t.n).toFixed(0).padStart(5)} ms  run ${(t.run / t.n).toFixed(0).padStart(5)} ms${t.retried > 0 ? `  (${t.retried} retried)` : ''}`).join('\n');
      }
    }
  } finally {
    await floorDown(docker, FLOOR_APP).catch(() => undefined);
    await stack.stop();
  }
  const up = median(rows.map((r) => r.up / r.floorUp));
  const down = median(rows.map((r) => r.down / r.floorDown));
  console.log(`\n${MEMBERS} members, ${ROUNDS} rounds (medians):`);
  console.log(`  deploy  floor ${s(median(rows.map((r) => r.floorUp)))}  clocker ${s(median(rows.map((r) => r.up)))}  ratio ${up.toFixed(2)}x`);
  console.log(`  destroy floor ${s(median(rows.map((r) => r.floorDown)))}  clocker ${s(median(rows.map((r) => r.down)))}  ratio ${down.toFixed(2)}x`);
  console.log(`  history (deploy, last round): ${perMember}`);
  console.log(`  deploy milestones (last round, ms after the request): ${milestones}`);
  console.log(`  destroy milestones (last round, ms after the request): ${teardown}`);
  console.log(`  activities of the last round's service workflow (deploy + destroy):\n${times}`);
  const share = (c: CpuShare) => `engine ${c.engine.toFixed(2)} + worker ${c.worker.toFixed(2)} + dev server ${c.server.toFixed(2)} + bench ${c.bench.toFixed(2)} = ${(c.engine + c.worker + c.server + c.bench).toFixed(2)}`;
  console.log(`  CPU seconds per deploy (each round: floor | Clocker):`);
  for (const c of cpu) console.log(`    ${share(c.floor)} | ${share(c.clocker)}`);
  console.log(`  worker RSS MiB per round (idle / peak deploy / running / peak destroy / 3 s after destroy):`);
  for (const r of rss) console.log(`    ${r.idle} / ${r.peakDeploy} / ${r.running} / ${r.peakDestroy} / ${r.afterDestroy}`);
  const where = NETWORK ? 'on an IPAM network, one host' : 'one host';
  printResult({
    bench: 'createPath',
    rows: [
      {
        measure: `deploy ${MEMBERS}, published port answering, ${where}`,
        kind: 'time',
        floor: summarize(rows.map((r) => r.floorUp)),
        clocker: summarize(rows.map((r) => r.up)),
        target: '≤ 1.15× floor',
        note: `rounds alternate with the floor; history ${eventsPerMember.toFixed(1)} events per member, target ≤ 8`,
      },
      { measure: `destroy ${MEMBERS}, ${where}`, kind: 'time', floor: summarize(rows.map((r) => r.floorDown)), clocker: summarize(rows.map((r) => r.down)), target: '≤ 1.3× floor' },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
