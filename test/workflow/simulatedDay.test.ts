// A service run through a simulated day on the workflow tier (a real Temporal dev server, the
// in-memory engine): thousands of member deaths reported by the hosts' monitors (short
// rotations) and handled by the failure chain (restarts in place, replacements), resizes now
// and then, and a host workflow probing its host every 50 ms. Every history (application,
// service, infrastructure, host monitors, host) stays under Temporal's 10,240-event warning
// through continue-as-new, and the state comes through intact: member ids never reused, each
// member's restarts, the desired size, the generation, the monitors' counts.
// Then, from the histories, what one idle service and one idle host monitor cost per hour at
// production intervals (printed).
//   SIM_DAY_ROUNDS: rounds of deaths (each kills every member once); default 55 (~480 deaths,
//   ~12,500 service events; 2–4 min on 2 busy cores; 125 rounds: ~28,000 events, 4–9 min). The day must be long enough that the service's history would
//   pass the warning without continue-as-new (the test checks that), so fewer rounds only try it out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Liveness, ProbeResult } from '../../activities/hosts/dockerProbe';
import { placementActivities } from '../../activities/infrastructure/placement';
import { queryUnanswered } from '../../client/queryUnanswered';
import type { ServiceView } from '../../domain/application/status';
import { DEFAULT_DOCKER_SETTINGS } from '../../domain/infra/machines';
import { hostMonitorWorkflowId, workflowIds } from '../../domain/naming';
import { hostWorkflowId, type HostInput } from '../../workflows/host';
import { hostMonitorStatusQuery, hostStatusQuery, serviceStatusQuery } from '../../workflows/messages';
import { waitUntil } from '../rig/waitUntil';
import { skipUnlessPresent } from '../support/components';
import { FakeEngine } from '../support/fakeEngine';
import { blueprint, serviceSpec } from '../support/specs';
import { fakeHosts, startWorkflowTier, type WorkflowTier } from '../support/workflowTier';

const TASK_QUEUE = 'simulated-day';
const INFRA = 'day-hosts';
const APP = 'day';
const HOSTS = ['h1', 'h2'];
const SIZE = 8;
const ROUNDS = Number(process.env.SIM_DAY_ROUNDS ?? 55);
/** Temporal warns at this many events in one history (and fails the run at 51,200). */
const HISTORY_WARN = 10_240;
/** Short rotations: a monitor continues as new every 48 watches, many times over the day. */
const MONITOR_TIMING = { runForMs: 250, idleAfterMs: 600_000 };
/** The host workflow's probe interval over the day (production: 10 s). */
const HOST_INTERVAL_S = 0.05;
const PRODUCTION = { monitorRotationMs: 3_600_000, hostIntervalS: 10 };

/** Each member: restarted in place 4 times, replaced by a fresh member at its fifth death. Never ON_FIRE. */
const RESTARTS = 4;
const POLICIES = { restarter: { maxRestarts: RESTARTS, windowMs: 86_400_000 }, replacer: { failureThreshold: 1_000_000, avoidFailedHost: false } };

/** The host workflow's probes, over the in-memory engine: always alive, usage steady; `probes` counts them. */
function hostCheckActivities(engine: FakeEngine, probes: { count: number }) {
  const containersOn = (host: string) => [...engine.containers.values()].filter((c) => c.host === host).length;
  return {
    checkHostAlive: async ({ docker }: { docker: { kind: string; host?: string } }): Promise<Liveness> => {
      probes.count += 1;
      return { alive: true, containers: containersOn(docker.host ?? '') };
    },
    measureHostUsage: async ({ docker }: { docker: { kind: string; host?: string } }): Promise<ProbeResult> => ({ usage: { cpuPercent: 1, memoryBytes: 64 * 1024 ** 2 }, containers: containersOn(docker.host ?? '') }),
  };
}

interface RunCount {
  runs: number;
  maxEvents: number;
  totalEvents: number;
}

/** Every run of a workflow id (continued-as-new ones included), from the visibility store. */
async function historyOf(client: Client, workflowId: string): Promise<RunCount> {
  const count: RunCount = { runs: 0, maxEvents: 0, totalEvents: 0 };
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    // The visibility row's length may lag for the open run: its history says for certain.
    const events = run.status.name === 'RUNNING' ? ((await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events ?? []).length : run.historyLength;
    count.runs += 1;
    count.maxEvents = Math.max(count.maxEvents, events);
    count.totalEvents += events;
  }
  return count;
}

describe('a simulated day', { skip: skipUnlessPresent('temporal') }, () => {
  let tier: WorkflowTier | undefined;
  let client: Client;
  const engine = new FakeEngine();
  const probes = { count: 0 };
  const hostInput: HostInput = {
    infrastructure: INFRA,
    host: { id: 'h1', address: '192.0.2.1', port: 22, user: 'root', keyRef: '/nonexistent', labels: {}, maxContainers: 40, root: '' },
    provisioning: { docker: DEFAULT_DOCKER_SETTINGS, monitoring: { intervalSeconds: HOST_INTERVAL_S, failureThreshold: 3 }, drainTimeoutSeconds: 60 },
    certRef: '/nonexistent',
    monitoring: { docker: { kind: 'tcp', host: 'h1', port: 2375 }, failed: false, failures: 0 },
  };

  before(async () => {
    tier = await startWorkflowTier(TASK_QUEUE, engine, (c) => ({
      ...placementActivities(c, undefined, { monitorHosts: true }),
      ...engine.activities(),
      ...engine.watcherActivities(c),
      ...hostCheckActivities(engine, probes),
    }));
    client = tier.env.client;
    await tier.clocker.ensureInfrastructure(fakeHosts(INFRA, { count: HOSTS.length, maxContainers: 40 }));
    // The monitors run before anything is placed, with short rotations; placement only nudges them.
    for (const h of HOSTS) {
      await client.workflow.start('hostMonitor', { workflowId: hostMonitorWorkflowId(INFRA, h), taskQueue: TASK_QUEUE, args: [{ infrastructure: INFRA, hostId: h, timing: MONITOR_TIMING }] });
    }
    await client.workflow.start('host', { workflowId: hostWorkflowId(INFRA, 'h1'), taskQueue: TASK_QUEUE, args: [hostInput] });
  });

  after(async () => {
    const ids = [...HOSTS.map((h) => hostMonitorWorkflowId(INFRA, h)), hostWorkflowId(INFRA, 'h1')];
    for (const id of ids) {
      await client?.workflow.getHandle(id).terminate().catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err; // ended already
      });
    }
    await tier?.stop();
  });

  test('thousands of member deaths, resizes and monitor rotations: every history bounded, state intact', { timeout: 30 * 60_000 }, async () => {
    const { clocker } = tier!;
    const service = client.workflow.getHandle(workflowIds.service(APP, 'web'));
    // A query the loaded dev server gives up on (no worker took it in time) is asked again, a few times.
    const view = async (): Promise<ServiceView> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await service.query(serviceStatusQuery);
        } catch (err) {
          if (!queryUnanswered(err) || attempt === 5) throw err;
        }
      }
    };
    await clocker.deploy(blueprint(APP, [serviceSpec({ id: 'web', image: 'web:1', count: SIZE, size: { initial: SIZE, min: SIZE - 2, max: SIZE + 2 }, policies: POLICIES })], INFRA));
    assert.equal((await clocker.waitFor(APP, (v) => v.status !== 'DEPLOYING', 60_000)).status, 'RUNNING');
    const started = Date.now();

    // What the test expects, kept beside the service: each member's deaths, every id ever used.
    const deaths = new Map<string, number>();
    const everSeen = new Set<string>();
    let desired = SIZE;
    let resizes = 0;
    let restarts = 0;
    let replacements = 0;
    let killed = 0;
    const adopt = (members: ServiceView['members']) => {
      for (const m of members) {
        if (deaths.has(m.member)) continue;
        assert.ok(!everSeen.has(m.member), `member id ${m.member} used twice`);
        everSeen.add(m.member);
        deaths.set(m.member, 0);
      }
      for (const id of deaths.keys()) if (!members.some((m) => m.member === id)) deaths.delete(id);
    };
    adopt((await view()).members);
    const settled = (v: ServiceView) => v.members.length === desired && v.members.every((m) => m.state === 'RUNNING');

    /** Every member dies once (`docker kill`); the round ends when each is restarted or replaced. */
    const deathRound = async () => {
      const before = (await view()).members;
      for (const m of before) engine.kill(m.hostId, { app: APP, service: 'web', member: m.member });
      killed += before.length;
      for (const m of before) deaths.set(m.member, deaths.get(m.member)! + 1);
      let now: ServiceView | undefined;
      await waitUntil('every member back', 60_000, async () => {
        now = await view();
        if (!settled(now)) return false;
        return before.every((b) => {
          const m = now!.members.find((x) => x.member === b.member);
          return !m || (m.restarts ?? 0) > (b.restarts ?? 0);
        });
      });
      for (const b of before) {
        const m = now!.members.find((x) => x.member === b.member);
        const died = deaths.get(b.member)!;
        if (m) {
          // Restarted in place: as often as it died (its books came through every continue-as-new).
          assert.equal(m.restarts, died, `member ${b.member}: ${died} deaths, ${m.restarts} restarts`);
          restarts += 1;
        } else {
          assert.equal(died, RESTARTS + 1, `member ${b.member} replaced after ${died} deaths (the restarter allows ${RESTARTS})`);
          replacements += 1;
        }
      }
      adopt(now!.members);
    };

    /** An operator resizes by ±2, alternately. */
    const resizeStep = async () => {
      const by = resizes % 2 === 0 ? 2 : -2;
      const seq = (await view()).rollout?.seq ?? 0;
      desired += by;
      assert.deepEqual(await clocker.resizeService(APP, 'web', { by }), { from: desired - by, size: desired });
      let now: ServiceView | undefined;
      await waitUntil('resized', 60_000, async () => {
        now = await view();
        return (now.rollout?.seq ?? 0) > seq && settled(now);
      });
      resizes += 1;
      adopt(now!.members);
    };

    // The day's doings, each every so many rounds. The autoscaler (a periodic duty in the service
    // workflow, being built) adds its evaluations here: e.g. `{ name: 'autoscaler load change', every: 5, run: … }`
    // that moves the fake engine's reported load and waits for the decision, and the checks at the end
    // gain the autoscaler's record.
    const day: { name: string; every: number; run: () => Promise<void> }[] = [
      { name: 'member deaths', every: 1, run: deathRound },
      { name: 'resize', every: 25, run: resizeStep },
    ];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const duty of day) if (round % duty.every === 0) await duty.run();
    }
    const dayMs = Date.now() - started;

    // --- state intact ---------------------------------------------------------------------
    const last = await view();
    assert.equal(last.status, 'RUNNING');
    assert.equal(last.desired, desired);
    assert.equal(last.members.length, desired);
    assert.equal(last.generation, 1 + resizes, 'each resize is one generation');
    assert.deepEqual(new Set(last.members.map((m) => m.member)), new Set(deaths.keys()));
    for (const m of last.members) assert.equal(m.restarts ?? 0, deaths.get(m.member), `member ${m.member}`);
    const engineHolds = [...engine.containers.values()].filter((c) => c.name.startsWith(`${APP}.web.`)).map((c) => c.name).sort();
    assert.deepEqual(engineHolds, last.members.map((m) => m.containerName).sort(), 'the engine holds exactly the members');
    // The application hears the service's reports by signal: it comes to the same view.
    let app = await clocker.status(APP);
    await waitUntil('the application heard the latest', 15_000, async () => {
      app = await clocker.status(APP);
      return app.status === 'RUNNING' && JSON.stringify(app.services[0]!.members.map((m) => m.member).sort()) === JSON.stringify(last.members.map((m) => m.member).sort());
    }).catch((err: unknown) => {
      const s = app.services[0]!;
      throw new Error(`${String(err)}: application ${app.status} (${app.error ?? ''}); its view of web: ${s.status}, desired ${s.desired}, members ${s.members.map((m) => `${m.member}:${m.state}`).join(' ')}; the service: ${last.members.map((m) => `${m.member}:${m.state}`).join(' ')}`);
    });
    assert.match(last.recoveries?.at(-1) ?? '', /^member \d+ on h\d killed \(exit 137\): (restarted in place|replaced by member \d+)/);
    const kills = restarts + replacements;
    // The monitors' own counts came through their continue-as-new too: every death was reported once.
    const monitors = await Promise.all(HOSTS.map((h) => client.workflow.getHandle(hostMonitorWorkflowId(INFRA, h)).query(hostMonitorStatusQuery)));
    await waitUntil('the monitors counted every death', 10_000, async () => {
      const counts = await Promise.all(HOSTS.map((h) => client.workflow.getHandle(hostMonitorWorkflowId(INFRA, h)).query(hostMonitorStatusQuery)));
      return counts.reduce((n, c) => n + c.reported, 0) >= kills;
    });
    const hostView = await client.workflow.getHandle(hostWorkflowId(INFRA, 'h1')).query(hostStatusQuery);
    assert.equal(hostView.phase, 'AVAILABLE');
    assert.equal(hostView.consecutiveFailures, 0);

    // --- every history bounded ------------------------------------------------------------
    const ids: Record<string, string> = {
      application: workflowIds.application(APP),
      service: workflowIds.service(APP, 'web'),
      infrastructure: workflowIds.infrastructure(INFRA),
      ...Object.fromEntries(HOSTS.map((h) => [`monitor ${h}`, hostMonitorWorkflowId(INFRA, h)])),
      'host h1': hostWorkflowId(INFRA, 'h1'),
    };
    // The visibility store is written a moment after each run closes.
    await new Promise((r) => setTimeout(r, 2_000));
    const histories: Record<string, RunCount> = {};
    for (const [name, id] of Object.entries(ids)) histories[name] = await historyOf(client, id);
    const probed = probes.count;
    console.log(`simulated day: ${ROUNDS} rounds in ${(dayMs / 1000).toFixed(0)} s: ${kills} member deaths (${restarts} restarts in place, ${replacements} replacements), ${resizes} resizes, ${monitors.reduce((n, m) => n + m.watches, 0)} monitor watches; host probes every ${HOST_INTERVAL_S * 1000} ms`);
    console.log('| workflow | runs | most events in a run | events in all |');
    console.log('|---|---|---|---|');
    for (const [name, c] of Object.entries(histories)) console.log(`| ${name} | ${c.runs} | ${c.maxEvents} | ${c.totalEvents} |`);
    for (const [name, c] of Object.entries(histories)) assert.ok(c.maxEvents < HISTORY_WARN, `${name}: a run of ${c.maxEvents} events`);
    assert.equal(kills, killed, 'every death was handled once');
    assert.ok(histories['service']!.totalEvents > HISTORY_WARN, `the day is long enough to need continue-as-new: ${histories['service']!.totalEvents} service events`);
    assert.ok(histories['monitor h1']!.runs >= 2 && histories['monitor h2']!.runs >= 2, 'the monitors continued as new');

    // --- idle cost per hour at production intervals ---------------------------------------
    // An idle service: its history over a quiet window (no request, no death), per hour.
    const quietMs = 5_000;
    const before = (await service.fetchHistory()).events?.length ?? 0;
    await new Promise((r) => setTimeout(r, quietMs));
    const quiet = ((await service.fetchHistory()).events?.length ?? 0) - before;
    const servicePerHour = (quiet * 3_600_000) / quietMs;
    // A monitor: what a watch costs (events over all its runs per watch, continue-as-new included),
    // at one watch per hour in production; a host workflow: events per probe, at one probe per 10 s.
    const watches = monitors[0]!.watches;
    const perWatch = histories['monitor h1']!.totalEvents / watches;
    const perProbe = histories['host h1']!.totalEvents / probed;
    const monitorPerHour = perWatch * (3_600_000 / PRODUCTION.monitorRotationMs);
    const hostPerHour = perProbe * (3_600 / PRODUCTION.hostIntervalS);
    console.log(`idle service: ${quiet} events in ${quietMs / 1000} s → ${servicePerHour.toFixed(0)} events/hour`);
    console.log(`idle host monitor: ${perWatch.toFixed(1)} events per watch (${watches} watches) → ${monitorPerHour.toFixed(1)} events/hour at one rotation per hour; a run of 48 watches is ${(perWatch * 48).toFixed(0)} events`);
    console.log(`host workflow: ${perProbe.toFixed(1)} events per probe (${probed} probes) → ${hostPerHour.toFixed(0)} events/hour at a probe every ${PRODUCTION.hostIntervalS} s`);
    assert.equal(quiet, 0, 'an idle service adds nothing to its history');

    assert.equal((await clocker.destroy(APP, 60_000)).status, 'DESTROYED');
  });
});
