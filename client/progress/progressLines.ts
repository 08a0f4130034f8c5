// What a long command shows while it follows the work: one line per service (and per member
// while a service has few), one per host while an infrastructure provisions. Pure: views in,
// lines out; the printer decides how they reach the terminal.
import type { AppView, ServiceView } from '../../domain/application/status';
import type { InfraView } from '../../domain/infra/statusView';
import { memberProgressText } from '../../domain/application/memberProgress';
import type { LiveMemberView } from './memberSteps';

/** How a line reads at a glance: colour in a terminal, nothing in plain output. */
export type Tone = 'ok' | 'busy' | 'bad' | 'plain';

export interface ProgressLine {
  /** Stable across polls (`svc:web`, `member:web/2`), so a printer prints only what changed. */
  key: string;
  text: string;
  tone: Tone;
}

/** Members are listed one by one up to this many per service; above it, counted. */
export const MEMBER_LINES_UP_TO = 5;

/**
 * A member's phase in the words a user expects. The service records PLACED when the
 * scheduler booked a host, then runs one activity that pulls the image if missing, creates
 * and starts the container and waits for the health check (RUNNING). While it runs, its
 * heartbeats say which of those it is on (`progress`, memberSteps.ts); without them (an older
 * worker, the first instant) the member reads as placed.
 */
export function memberPhase(m: Pick<LiveMemberView, 'state' | 'error' | 'progress' | 'retry'>): { text: string; tone: Tone } {
  switch (m.state) {
    case 'PLACED':
      if (m.retry?.waitingAfter) return { text: `retrying (attempt ${m.retry.attempt}) after: ${m.retry.waitingAfter}`, tone: 'bad' };
      if (!m.progress) return { text: 'placed', tone: 'busy' };
      return { text: `${memberProgressText(m.progress)}${m.retry ? ` (attempt ${m.retry.attempt})` : ''}`, tone: 'busy' };
    case 'CREATED':
      return { text: 'created; waiting until healthy', tone: 'busy' };
    case 'RUNNING':
      return { text: 'healthy', tone: 'ok' };
    case 'STOPPED':
      return { text: 'stopped', tone: 'plain' };
    case 'DRAINING':
      return { text: 'draining', tone: 'busy' };
    case 'REMOVED':
      return { text: 'removed', tone: 'plain' };
    case 'FAILED':
      return { text: `failed${m.error ? `: ${m.error}` : ''}`, tone: 'bad' };
  }
}

const BAD_SERVICE = ['FAILED', 'ON_FIRE'];
const BUSY_SERVICE = ['PENDING', 'PLACING', 'STARTING', 'UPDATING', 'DESTROYING'];

function serviceTone(s: ServiceView): Tone {
  if (BAD_SERVICE.includes(s.status)) return 'bad';
  if (BUSY_SERVICE.includes(s.status)) return 'busy';
  return s.status === 'RUNNING' ? 'ok' : 'plain';
}

/** `web: STARTING, 1 of 3 healthy (1 placed, 1 created)`. */
export function serviceLine(s: ServiceView): ProgressLine {
  const healthy = s.members.filter((m) => m.state === 'RUNNING').length;
  const counts = new Map<string, number>();
  for (const m of s.members) if (m.state !== 'RUNNING') counts.set(m.state.toLowerCase(), (counts.get(m.state.toLowerCase()) ?? 0) + 1);
  const others = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
  let size = `, ${healthy} of ${s.desired} healthy${others ? ` (${others})` : ''}`;
  if (s.status === 'DESTROYED' || s.status === 'PENDING') size = '';
  // While a service goes, its size means nothing any more: only what is left is counted.
  if (s.status === 'DESTROYING') {
    const left = [healthy ? `${healthy} healthy` : '', others].filter(Boolean).join(', ');
    size = left ? ` (${left})` : '';
  }
  const error = s.error && BAD_SERVICE.includes(s.status) ? `: ${s.error}` : '';
  return { key: `svc:${s.id}`, text: `${s.id}: ${s.status}${size}${error}`, tone: serviceTone(s) };
}

export function memberLine(s: ServiceView, m: LiveMemberView): ProgressLine {
  const phase = memberPhase(m);
  return { key: `member:${s.id}/${m.member}`, text: `  ${s.id}.${m.member} on ${m.hostId}: ${phase.text}`, tone: phase.tone };
}

export function appLines(view: AppView): ProgressLine[] {
  const tone: Tone = view.status === 'RUNNING' || view.status === 'DESTROYED' ? 'ok' : view.status === 'FAILED' || view.status === 'DEGRADED' ? 'bad' : view.status === 'STOPPED' ? 'plain' : 'busy';
  const lines: ProgressLine[] = [{ key: 'app', text: `application ${view.name}: ${view.status}`, tone }];
  for (const s of view.services) lines.push(...serviceLines(s));
  return lines;
}

/** The service's line, then its members' while they are few. */
export function serviceLines(s: ServiceView): ProgressLine[] {
  return [serviceLine(s), ...(s.members.length <= MEMBER_LINES_UP_TO ? s.members.map((m) => memberLine(s, m)) : [])];
}

/** Provisioning steps of a host as its own workflow reports them (connect, os, docker, …). */
export type HostSteps = Record<string, string | undefined>;

export function infraLines(view: InfraView, steps: HostSteps = {}): ProgressLine[] {
  const lines: ProgressLine[] = [{ key: 'infra', text: `infrastructure ${view.name}: ${view.hosts.length} host${view.hosts.length === 1 ? '' : 's'}`, tone: 'plain' }];
  for (const h of view.hosts) {
    // A draining host is done when its members have moved: how many are left is its progress.
    const left = h.reserved?.containers ?? 0;
    const step = h.status === 'PROVISIONING' && steps[h.id] ? ` (${steps[h.id]})` : h.status === 'DRAINING' && left > 0 ? ` (${left} member${left === 1 ? '' : 's'} to move)` : '';
    const detail = h.problem ? `: ${h.problem}` : h.dockerVersion && h.status === 'AVAILABLE' ? `, Docker ${h.dockerVersion}` : '';
    const tone: Tone = h.status === 'AVAILABLE' ? 'ok' : h.status === 'FAILED' ? 'bad' : 'busy';
    lines.push({ key: `host:${h.id}`, text: `  ${h.id} ${h.address}: ${h.status}${step}${detail}`, tone });
  }
  for (const s of view.spares ?? []) lines.push({ key: `spare:${s.id}`, text: `  ${s.id} ${s.address}: spare`, tone: 'plain' });
  return lines;
}

/** The lines whose text differs from what was last shown under their key (new keys included). */
export function changedLines(previous: ReadonlyMap<string, string>, lines: readonly ProgressLine[]): ProgressLine[] {
  return lines.filter((l) => previous.get(l.key) !== l.text);
}
