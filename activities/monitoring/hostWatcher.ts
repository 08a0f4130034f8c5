// The watcher of one host, run by its monitor workflow as one long activity: it follows the
// engine's event stream for Clocker's containers and, beside it, takes an inventory every
// half minute (and at once on start, so whatever happened while no watcher ran is found).
// Either path signals the owning service with the member and what happened; the service
// decides whether it matters. It heartbeats every few seconds with the time of the last event
// read, so the next attempt after a worker crash asks the engine for the events since then.
import { Context, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { HostStatusView } from '../../domain/infra/statusView';
import type { DockerEndpoint } from '../../domain/infra/model';
import { containerName, isMember, LABEL, workflowIds, type MemberRef } from '../../domain/naming';
import { infraStatusQuery, memberEventSignal, serviceStatusQuery } from '../../workflows/messages';
import type { DockerClientFactory } from '../docker/dockerClient';
import { describeEndpoint } from '../docker/dockerClient';
import { dockerError, statusCodeOf } from '../docker/dockerErrors';
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
  | { exists: true; running: boolean; containerId: string; exitCode: number; oomKilled: boolean; health?: string };

export interface WatchHostOutcome {
  ended: 'rotated' | 'idle' | 'gone';
  /** Member events passed on to services. */
  reported: number;
}

const HEARTBEAT_MS = 3_000;
/** A container that died sends die (and oom, destroy, and the inventory's finding): its service hears once, until it starts again. */
const SAME_CONTAINER_MS = 30_000;

export function monitoringActivities(temporal: Client, dockerFor: DockerClientFactory) {
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
    async checkMember({ endpoint, ref }: { endpoint: DockerEndpoint; ref: MemberRef }): Promise<MemberCheck> {
      const where = describeEndpoint(endpoint);
      const name = containerName(ref);
      try {
        const info = await dockerFor(endpoint).getContainer(name).inspect();
        if (!isMember(info.Config.Labels, ref)) return { exists: false };
        const health = info.State.Health?.Status;
        return {
          exists: true,
          running: info.State.Running && !info.State.Restarting,
          containerId: info.Id,
          exitCode: info.State.ExitCode,
          oomKilled: info.State.OOMKilled,
          ...(health ? { health } : {}),
        };
      } catch (err) {
        if (statusCodeOf(err) === 404) return { exists: false };
        throw dockerError(where, `inspect container ${name}`, err);
      }
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

      const tell = async ({ ref, event }: ForService): Promise<void> => {
        const key = event.containerId ?? `${ref.app}.${ref.service}.${ref.member}`;
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
        // A failed or draining host is the host workflow's business: its members are moved as a whole.
        if (now.status !== 'AVAILABLE') return 'ok';
        const listed = (await docker
          .listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, LABEL.member] } })
          .catch((err: unknown) => Promise.reject(dockerError(where, 'list containers', err)))) as ListedContainer[];
        const findings = inventoryFindings(booked, listed, new Date().toISOString());
        if (findings.length === 0) return 'ok';
        // Only members the service believes RUNNING here are news (a query costs no history).
        for (const [service, group] of groupByService(findings)) {
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

      // --- the event stream ------------------------------------------------------------------
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
            // Restarted (in place, by its service): its next death is news again.
            if (e.Action === 'start' && e.Actor?.ID) recent.delete(e.Actor.ID);
            const found = memberEventOf(e);
            // Handled at once: a rejection must never go unhandled in the worker; it ends the attempt below.
            if (found) pending.push(tell(found).catch((err: unknown) => void (streamError ??= err instanceof Error ? err : new Error(String(err)))));
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
        let nextInventory = Date.now();
        for (;;) {
          if (Date.now() >= nextInventory) {
            nextInventory = Date.now() + inventoryEveryMs;
            const outcome = await inventory();
            if (outcome !== 'ok') return { ended: outcome, reported };
          }
          // Signals are sent in order of arrival; their failures end the attempt (it is retried).
          await Promise.all(pending.splice(0));
          if (streamError) throw streamError;
          if (Date.now() - started >= runForMs) return { ended: 'rotated', reported };
          heartbeat({ since });
          await ctx.sleep(Math.min(HEARTBEAT_MS, Math.max(0, nextInventory - Date.now())));
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
