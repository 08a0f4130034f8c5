// What the monitor reads from a Docker host, turned into member events for the owning
// services: Docker's event stream (die, oom, destroy, health_status) and the periodic
// inventory (a booked member whose container is missing or not running). Pure, so the
// translation is tested without an engine.
import type { MemberFailureKind } from '../../domain/application/memberRecovery';
import { containerName, LABEL, type MemberRef } from '../../domain/naming';
import type { MemberEvent } from '../../workflows/messages';

/** The fields of a Docker engine event this reads (GET /events, one JSON object per line). */
export interface DockerEngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export interface ForService {
  ref: MemberRef;
  event: MemberEvent;
}

/** The engine event as a member event, or undefined when it is not about a member's end or health. */
export function memberEventOf(e: DockerEngineEvent): ForService | undefined {
  if (e.Type !== 'container' || !e.Action) return undefined;
  const attributes = e.Actor?.Attributes ?? {};
  const ref = refOf(attributes);
  if (!ref) return undefined;
  const kind = kindOf(e.Action);
  if (!kind) return undefined;
  const at = new Date(e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000).toISOString();
  const exit = Number(attributes['exitCode']);
  const event: MemberEvent = {
    member: ref.member,
    event: kind,
    at,
    ...(kind === 'die' && Number.isInteger(exit) ? { exitCode: exit } : {}),
    ...(e.Actor?.ID ? { containerId: e.Actor.ID } : {}),
  };
  return { ref, event };
}

function kindOf(action: string): MemberFailureKind | undefined {
  if (action === 'die' || action === 'oom' || action === 'destroy') return action;
  // `health_status: unhealthy` (Docker's own HEALTHCHECK, from an image that declares one).
  if (action.startsWith('health_status') && action.includes('unhealthy')) return 'unhealthy';
  return undefined;
}

function refOf(labels: Record<string, string>): MemberRef | undefined {
  if (labels[LABEL.managed] !== 'true') return undefined;
  const app = labels[LABEL.app];
  const service = labels[LABEL.service];
  const member = labels[LABEL.member];
  return app && service && member ? { app, service, member } : undefined;
}

/** One row of GET /containers/json?all=1 as read here. */
export interface ListedContainer {
  Id: string;
  Names?: string[];
  State?: string;
  Status?: string;
  Labels?: Record<string, string>;
}

/**
 * Booked members whose container is missing or not running (or reports unhealthy). Containers
 * being created or restarting right now are left to the next inventory or the event stream.
 */
export function inventoryFindings(booked: MemberRef[], listed: ListedContainer[], at: string): ForService[] {
  const byName = new Map<string, ListedContainer>();
  for (const c of listed) {
    const ref = refOf(c.Labels ?? {});
    if (ref) byName.set(containerName(ref), c);
  }
  const findings: ForService[] = [];
  for (const ref of booked) {
    const c = byName.get(containerName(ref));
    if (!c) {
      findings.push({ ref, event: { member: ref.member, event: 'missing', at } });
      continue;
    }
    const state = c.State ?? '';
    if (state === 'exited' || state === 'dead') {
      const code = /Exited \((\d+)\)/.exec(c.Status ?? '')?.[1];
      findings.push({ ref, event: { member: ref.member, event: 'exited', at, containerId: c.Id, ...(code === undefined ? {} : { exitCode: Number(code) }) } });
    } else if (state === 'running' && (c.Status ?? '').includes('(unhealthy)')) {
      findings.push({ ref, event: { member: ref.member, event: 'unhealthy', at, containerId: c.Id } });
    }
  }
  return findings;
}

/** Splits a chunked stream of JSON lines; answers the complete objects and keeps the rest. */
export class JsonLines {
  private rest = '';
  /** Lines that were not JSON (the engine writes one object per line): counted, reported by the caller. */
  unparsed = 0;
  push(chunk: string): unknown[] {
    this.rest += chunk;
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    const out: unknown[] = [];
    for (const line of lines) {
      const text = line.trim();
      if (text === '') continue;
      try {
        out.push(JSON.parse(text));
      } catch {
        this.unparsed += 1;
      }
    }
    return out;
  }
}
