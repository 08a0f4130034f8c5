// The watcher of one host, run by its monitor workflow as one long activity: it follows the
// engine's event stream for Clocker's containers and, beside it, takes an inventory every
// half minute (and at once on start, so whatever happened while no watcher ran is found).
// Either path signals the owning service with the member and what happened; the service
// decides whether it matters. It heartbeats every few seconds with the time of the last event
// read, so the next attempt after a worker crash asks the engine for the events since then.
import { Context, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { HostStatusView } from '../../domain/infra/statusView';
import type Docker from 'dockerode';
import type { MappedPort } from '../../domain/application/status';
import type { HealthCheck } from '../../domain/blueprint/model';
import type { DockerEndpoint } from '../../domain/infra/model';
import { containerName, isMember, LABEL, workflowIds, type MemberRef } from '../../domain/naming';
import { infraStatusQuery, memberEventSignal, memberProbesQuery, serviceStatusQuery, type MemberProbes } from '../../workflows/messages';
import { runProbe } from '../docker/health';
import { secretValues } from '../secrets/redact';
import type { SecretStore } from '../secrets/secretStore';
import type { DockerClientFactory } from '../docker/dockerClient';
import { describeEndpoint } from '../docker/dockerClient';
import { dockerError, statusCodeOf } from '../docker/dockerErrors';
import { engineConnection } from './engineConnection';
import { inventoryFindings, JsonLines, memberEventOf, type DockerEngineEvent, type ForService, type ListedContainer } from './memberSignals';

export interface WatchHostInput {
  infrastructure: string;
  hostId: string;
  /** The activity returns ('rotated') after this long, so the workflow's history stays short. */
  runForMs?: number;
  /** With nothing booked on the host for this long, it returns 'idle' and the monitor may end. */
  idleAfterMs?: number;
  inventoryEveryMs?: number;
}

export type MemberCheck =
  | { exists: false }
  | { exists: true; running: boolean; containerId: string; exitCode: number; oomKilled: boolean; health?: string; problem?: string };

export interface WatchHostOutcome {
  ended: 'rotated' | 'idle' | 'gone';
  /** Member events passed on to services. */
  reported: number;
}

const HEARTBEAT_MS = 3_000;
/** A member that just started (placed, restarted) is probed from an inventory this soon after. */
const SOON_AFTER_START_MS = 2_000;
/** A container that died sends die (and oom, destroy, and the inventory's finding): its service hears once, until it starts again. */
const SAME_CONTAINER_MS = 30_000;

/** How often (every 250 ms) a member check looks again at a container being removed. */
const REMOVAL_LOOKS = 20;
/**
 * A killed container (137) is looked at once more this soon. `docker rm -f` marks the container
 * for removal before it kills it (the engine's removal flag, shown as status `removing`), so by
 * the `die` event a removal already shows; the second look only covers an engine that orders it
 * otherwise. At 250 ms it was the largest step of a kill's recovery after Docker's own start
 * (bench/recovery.bench.ts: detect 59 ms, check 369 ms, start 344 ms, health 48 ms).
 */
const KILLED_LOOK_AGAIN_MS = 50;
/** A probe of a running member must end well inside the watcher's heartbeat timeout. */
const MAX_PROBE_MS = 5_000;
/** How long a new connection to the engine may take before a death is left to the host's monitoring. */
const ENGINE_CHECK_MS = 2_000;

/** What a service passes to have its health check run once more before it acts on an `unhealthy`. */
export interface ProbeAgain {
  health: HealthCheck;
  hostAddress: string;
  ports: MappedPort[];
  secretNames: string[];
}

export function monitoringActivities(temporal: Client, dockerFor: DockerClientFactory, secrets: SecretStore) {
  /** '' when the member answers its health check. */
  const probeOnce = (docker: Docker, where: string, containerName: string, p: ProbeAgain): Promise<string> =>
    runProbe(docker, where, { containerName, hostAddress: p.hostAddress, ports: p.ports }, p.health.probe, Math.min(p.health.timeoutMs, MAX_PROBE_MS), secretValues(p.secretNames, secrets));

  const hostOf = async (infrastructure: string, hostId: string): Promise<HostStatusView | undefined> => {
    try {
      const view = await temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).query(infraStatusQuery);
      return view.hosts.find((h) => h.id === hostId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };

  return {
    /**
     * What a member's container is doing now, for a service weighing a member event: an event
     * is a hint, this is the truth (a member Clocker restarted meanwhile runs again).
     */
    async checkMember({ endpoint, ref, probe }: { endpoint: DockerEndpoint; ref: MemberRef; probe?: ProbeAgain }): Promise<MemberCheck> {
      const where = describeEndpoint(endpoint);
      const name = containerName(ref);
      const docker = dockerFor(endpoint);
      let info: Docker.ContainerInspectInfo | undefined;
      // `docker rm -f` kills first: a container on its way out is waited for, so the service makes it anew
      // instead of trying to start what is being removed.
      for (let look = 0; ; look++) {
        try {
          info = await docker.getContainer(name).inspect();
        } catch (err) {
          if (statusCodeOf(err) === 404) return { exists: false };
          throw dockerError(where, `inspect container ${name}`, err);
        }
        // Killed (137) is how a removal starts too: one more look a moment later tells the two apart.
        const beingRemoved = ['removing', 'dead'].includes(info.State.Status);
        const mayBeRemoved = beingRemoved || (look === 0 && !info.State.Running && info.State.ExitCode === 137);
        if (!mayBeRemoved || look >= REMOVAL_LOOKS) break;
        await new Promise((r) => setTimeout(r, beingRemoved ? 250 : KILLED_LOOK_AGAIN_MS));
      }
      if (!isMember(info.Config.Labels, ref)) return { exists: false };
      const running = info.State.Running && !info.State.Restarting;
      // Docker's own HEALTHCHECK if the image has one; else the blueprint's check, run once more now.
      const problem = running && probe ? await probeOnce(docker, where, name, probe) : '';
      const health = info.State.Health?.Status ?? (probe && running ? (problem === '' ? 'healthy' : 'unhealthy') : undefined);
      return {
        exists: true,
        running,
        containerId: info.Id,
        exitCode: info.State.ExitCode,
        oomKilled: info.State.OOMKilled,
        ...(health ? { health } : {}),
        ...(problem ? { problem } : {}),
      };
    },

    async watchHostMembers(input: WatchHostInput): Promise<WatchHostOutcome> {
      const { infrastructure, hostId } = input;
      const runForMs = input.runForMs ?? 3_600_000;
      const idleAfterMs = input.idleAfterMs ?? 600_000;
      const inventoryEveryMs = input.inventoryEveryMs ?? 30_000;
      const ctx = Context.current();
      const host = await hostOf(infrastructure, hostId);
      if (!host) return { ended: 'gone', reported: 0 };
      const docker = dockerFor(host.docker);
      const where = describeEndpoint(host.docker);
      const started = Date.now();
      // Where the last attempt stopped reading (seconds): the engine replays what it still holds since then.
      const resumeFrom = (ctx.info.heartbeatDetails as { since?: number } | undefined)?.since;
      let since = resumeFrom ?? Math.floor(started / 1000);
      let reported = 0;
      const recent = new Map<string, number>();
      /** Containers whose last event was `die` (until they start again). */
      const down = new Set<string>();

      const tell = async ({ ref, event }: ForService): Promise<void> => {
        // A failing probe never hides the death that may follow it: they are told apart.
        const key = `${event.containerId ?? `${ref.app}.${ref.service}.${ref.member}`}/${event.event === 'unhealthy' ? 'health' : 'death'}`;
        const last = recent.get(key);
        if (last !== undefined && Date.now() - last < SAME_CONTAINER_MS) return;
        recent.set(key, Date.now());
        for (const [k, t] of recent) if (Date.now() - t >= SAME_CONTAINER_MS) recent.delete(k);
        try {
          await temporal.workflow.getHandle(workflowIds.service(ref.app, ref.service)).signal(memberEventSignal, event);
          reported += 1;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // a service that is gone has nothing to heal
        }
      };

      /**
       * A death from the stream is told unless the engine refuses new connections: then it is
       * stopping (its containers die after its listeners close), which is the host's failure,
       * for the host's monitoring; if the engine is soon back, the next attempt's inventory finds the members down.
       */
      const tellUnlessEngineGoing = async (found: ForService): Promise<void> => {
        if (found.event.event !== 'unhealthy' && ['refused', 'silent'].includes(await engineConnection(host.docker, ENGINE_CHECK_MS))) {
          ctx.log.info(`member ${found.ref.member} of ${found.ref.app}/${found.ref.service} on ${hostId}: ${found.event.event} while the engine refuses connections; left to the host's monitoring`);
          return;
        }
        await tell(found);
      };

      // --- the inventory: booked members against what the engine holds ---------------------
      let idleSince: number | undefined;
      const inventory = async (): Promise<'ok' | 'idle' | 'gone'> => {
        const now = await hostOf(infrastructure, hostId);
        if (!now) return 'gone';
        const booked: MemberRef[] = now.reservations.map((r) => ({ app: r.app, service: r.service, member: r.member }));
        if (booked.length === 0) {
          idleSince ??= Date.now();
          return Date.now() - idleSince >= idleAfterMs ? 'idle' : 'ok';
        }
        idleSince = undefined;
        await refreshProbes(booked);
        // A failed or draining host is the host workflow's business: its members are moved as a whole.
        if (now.status !== 'AVAILABLE') return 'ok';
        const listed = (await docker
          .listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, LABEL.member] } })
          .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)))) as ListedContainer[];
        const findings = inventoryFindings(booked, listed, new Date().toISOString());
        if (findings.length === 0) return 'ok';
        // Only members the service believes RUNNING here are news (a query costs no history).
        for (const [service, group] of groupByService(findings)) {
          heartbeat({ since });
          const [app, svc] = service.split('/') as [string, string];
          const view = await temporal.workflow
            .getHandle(workflowIds.service(app, svc))
            .query(serviceStatusQuery)
            .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
          if (!view) continue;
          const running = new Set(view.members.filter((m) => m.state === 'RUNNING' && m.hostId === hostId).map((m) => m.member));
          for (const f of group) if (running.has(f.ref.member)) await tell(f);
        }
        return 'ok';
      };

      // --- health probes after start: each service's check at its interval ---------------------
      // Refreshed with every inventory from the services themselves (a query: no history).
      const probes = new Map<string, { ref: MemberRef; containerId?: string; again: ProbeAgain; failures: number; nextAt: number }>();
      const refreshProbes = async (booked: MemberRef[]): Promise<void> => {
        const seen = new Set<string>();
        for (const key of new Set(booked.map((r) => `${r.app}/${r.service}`))) {
          heartbeat({ since }); // many services on one host: each answer may take a moment
          const [app, svc] = key.split('/') as [string, string];
          const wanted: MemberProbes | undefined = await temporal.workflow
            .getHandle(workflowIds.service(app, svc))
            .query(memberProbesQuery)
            .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
          if (!wanted?.health) continue;
          for (const m of wanted.members.filter((x) => x.hostId === hostId)) {
            seen.add(m.containerName);
            const again: ProbeAgain = { health: wanted.health, hostAddress: m.hostAddress, ports: m.ports, secretNames: wanted.secretNames };
            const known = probes.get(m.containerName);
            // A member made anew (another container) starts counting afresh.
            if (known && known.containerId === m.containerId) {
              known.again = again;
              // Paused (it died or started): probed again once it runs, with what the service says now.
              if (known.nextAt === Number.POSITIVE_INFINITY && !(m.containerId && down.has(m.containerId))) known.nextAt = Date.now() + again.health.startPeriodMs + again.health.intervalMs;
            } else probes.set(m.containerName, { ref: { app, service: svc, member: m.member }, ...(m.containerId ? { containerId: m.containerId } : {}), again, failures: 0, nextAt: Date.now() + wanted.health.intervalMs });
          }
        }
        for (const name of probes.keys()) if (!seen.has(name)) probes.delete(name);
      };
      const probeDue = async (): Promise<void> => {
        const due = [...probes.entries()].filter(([, p]) => p.nextAt <= Date.now() && !(p.containerId && down.has(p.containerId)));
        await Promise.all(
          due.map(async ([name, p]) => {
            const problem = await probeOnce(docker, where, name, p.again);
            p.nextAt = Date.now() + p.again.health.intervalMs;
            if (problem === '') return void (p.failures = 0);
            // Docker's meaning: `retries` consecutive failures make it unhealthy.
            if (++p.failures <= p.again.health.retries) return;
            p.failures = 0;
            await tell({ ref: p.ref, event: { member: p.ref.member, event: 'unhealthy', at: new Date().toISOString(), detail: problem, ...(p.containerId ? { containerId: p.containerId } : {}) } });
          }),
        );
      };
      /** Probing a container that died or just started waits for the next refresh; its failures are forgotten. */
      const pauseProbes = (containerId: string): void => {
        for (const p of probes.values()) {
          if (p.containerId !== containerId) continue;
          p.failures = 0;
          p.nextAt = Number.POSITIVE_INFINITY;
        }
      };
      const nextProbeIn = () => Math.min(...[...probes.values()].map((p) => p.nextAt - Date.now()), Number.POSITIVE_INFINITY);

      // --- the event stream ------------------------------------------------------------------
      let nextInventory = Date.now();
      let stream: NodeJS.ReadableStream | undefined;
      let streamError: Error | undefined;
      const pending: Promise<void>[] = [];
      const openStream = async (): Promise<void> => {
        const lines = new JsonLines();
        const s = (await docker
          .getEvents({ since, filters: { type: ['container'], label: [`${LABEL.managed}=true`] } })
          .catch((err: unknown) => Promise.reject(dockerError(where, 'follow events', err)))) as unknown as NodeJS.ReadableStream;
        stream = s;
        s.on('data', (chunk: Buffer) => {
          for (const raw of lines.push(chunk.toString('utf8'))) {
            const e = raw as DockerEngineEvent;
            if (typeof e.time === 'number') since = Math.max(since, e.time);
            // Restarted (in place, by its service): its next death is news again, and it is probed
            // from the next inventory, which comes soon.
            if (e.Action === 'start' && e.Actor?.ID) {
              recent.delete(`${e.Actor.ID}/death`);
              recent.delete(`${e.Actor.ID}/health`);
              down.delete(e.Actor.ID);
              nextInventory = Math.min(nextInventory, Date.now() + SOON_AFTER_START_MS);
            }
            if (e.Action === 'die' && e.Actor?.ID) down.add(e.Actor.ID);
            // A container that died is the event stream's business; one that started again is probed
            // once the inventory brings its new ports (a restart may publish on other host ports).
            if ((e.Action === 'die' || e.Action === 'start') && e.Actor?.ID) pauseProbes(e.Actor.ID);
            const found = memberEventOf(e);
            // Handled at once: a rejection must never go unhandled in the worker; it ends the attempt below.
            if (found) pending.push(tellUnlessEngineGoing(found).catch((err: unknown) => void (streamError ??= err instanceof Error ? err : new Error(String(err)))));
          }
        });
        s.on('error', (err: Error) => (streamError = dockerError(where, 'follow events', err)));
        s.on('end', () => (streamError ??= dockerError(where, 'follow events', { code: 'ECONNRESET', message: 'event stream ended' })));
      };
      const closeStream = () => {
        const s = stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
        s?.removeAllListeners('data');
        s?.destroy?.();
        stream = undefined;
      };

      try {
        await openStream();
        heartbeat({ since });
        for (;;) {
          if (Date.now() >= nextInventory) {
            nextInventory = Date.now() + inventoryEveryMs;
            const outcome = await inventory();
            if (outcome !== 'ok') return { ended: outcome, reported };
          }
          await probeDue();
          // Signals are sent in order of arrival; their failures end the attempt (it is retried).
          await Promise.all(pending.splice(0));
          if (streamError) throw streamError;
          if (Date.now() - started >= runForMs) return { ended: 'rotated', reported };
          heartbeat({ since });
          await ctx.sleep(Math.max(50, Math.min(HEARTBEAT_MS, nextInventory - Date.now(), nextProbeIn())));
        }
      } finally {
        closeStream();
      }
    },
  };
}

function groupByService(findings: ForService[]): Map<string, ForService[]> {
  const groups = new Map<string, ForService[]>();
  for (const f of findings) {
    const key = `${f.ref.app}/${f.ref.service}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}
