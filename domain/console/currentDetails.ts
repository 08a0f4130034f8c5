// What each long-lived workflow shows as its current details in the Web UI (markdown, set
// with `setCurrentDetails` whenever it changes): the live counterpart of staticSummary.ts.
// Pure functions of the views the `status` queries answer, so the Web UI and `clocker status`
// tell the same story.
import type { AppView, MemberView, ServiceView } from '../application/status';
import { publishedEndpoints } from '../application/status';
import type { InfraView } from '../infra/statusView';
import { capBytes, cell, counted, DETAILS_MAX_BYTES, table } from './markdown';

/** Members are listed one by one up to this many per workflow; past it, counted by state. */
const MEMBER_ROWS = 30;

const running = (s: ServiceView) => s.members.filter((m) => m.state === 'RUNNING').length;

function byState(members: MemberView[]): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ') || 'none';
}

function memberRows(members: MemberView[], service?: string): (string | number | undefined)[][] {
  return members.map((m) => [
    ...(service !== undefined ? [service] : []),
    m.member,
    m.hostId,
    m.state,
    m.ports.filter((p) => p.boundHostPort !== undefined).map((p) => `${p.boundHostPort}→${p.containerPort}`).join(' '),
    [m.error, m.restarts ? `restarted ${m.restarts}×` : undefined].filter(Boolean).join('; '),
  ]);
}

function eventLines(services: ServiceView[], appEvent?: string): string[] {
  const lines = appEvent ? [`- ${cell(appEvent)}`] : [];
  for (const s of services) {
    const events = [...(s.recoveries ?? []), ...(s.lastEvent && !(s.recoveries ?? []).includes(s.lastEvent) ? [s.lastEvent] : [])];
    for (const e of events.slice(-3)) lines.push(`- ${s.id}: ${cell(e)}`);
    if (s.rollout) lines.push(`- ${s.id}: update ${s.rollout.outcome === 'DONE' ? 'done' : 'rolled back'} (generation ${s.rollout.generation}): ${cell(s.rollout.message)}`);
  }
  return lines;
}

export function applicationDetails(view: AppView): string {
  const services = view.services.map((s) => [s.id, s.status, `${running(s)} of ${s.desired}`, publishedEndpoints(s).join(' '), s.error]);
  const all = view.services.flatMap((s) => s.members.map((m) => ({ s, m })));
  const members =
    all.length <= MEMBER_ROWS
      ? table(['service', 'member', 'host', 'state', 'ports', 'problem'], view.services.flatMap((s) => memberRows(s.members, s.id)))
      : view.services.map((s) => `- ${s.id}: ${byState(s.members)}`).join('\n');
  const events = eventLines(view.services, view.lastEvent);
  return capBytes(
    [
      `**${view.status}** · application ${view.name} on infrastructure ${view.location} · version ${view.version}`,
      ...(view.error ? ['', `Problem: ${cell(view.error)}`] : []),
      ...(view.rolledBack && view.rolledBack.services.length > 0 ? ['', `Rolled back in version ${view.rolledBack.version}: ${view.rolledBack.services.join(', ')}`] : []),
      '',
      view.services.length > 0 ? table(['service', 'status', 'running', 'endpoints', 'problem'], services) : 'No services yet.',
      ...(all.length > 0 ? ['', '**Members**', '', members] : []),
      ...(events.length > 0 ? ['', '**Last events**', '', ...events] : []),
    ].join('\n'),
    DETAILS_MAX_BYTES,
  );
}

/** The autoscaler's bounds and its decisions with their inputs, newest first. */
function autoscalerSection(view: ServiceView): string[] {
  const a = view.autoscaler;
  if (!a) return [];
  const rows = [...a.decisions].reverse().map((d) => [
    d.lastAt ?? d.at,
    d.action === 'hold' ? `hold at ${d.from}${d.times ? ` (×${d.times})` : ''}` : `${d.action} ${d.from} → ${d.to}`,
    d.value,
    `${d.measured}/${d.of}`,
    d.reason,
  ]);
  const head = `**Autoscaler** · ${a.metric} ${a.low}..${a.high} · ${a.min}..${a.max} members${a.moved ? ' (bounds moved by an operator)' : ''}`;
  return ['', head, ...(rows.length > 0 ? ['', table(['at', 'decision', 'value', 'measured', 'reason'], rows)] : [])];
}

export function serviceDetails(app: string, view: ServiceView): string {
  const members =
    view.members.length <= MEMBER_ROWS ? table(['member', 'host', 'state', 'ports', 'problem'], memberRows(view.members)) : `Members: ${byState(view.members)}`;
  const events = eventLines([view]).map((l) => l.replace(`- ${view.id}: `, '- '));
  return capBytes(
    [
      `**${view.status}** · service ${app}/${view.id} · ${running(view)} of ${view.desired} running · generation ${view.generation}`,
      ...(view.error ? ['', `Problem: ${cell(view.error)}`] : []),
      '',
      view.members.length > 0 ? members : 'No members.',
      ...autoscalerSection(view),
      ...(events.length > 0 ? ['', '**Last events**', '', ...events] : []),
    ].join('\n'),
    DETAILS_MAX_BYTES,
  );
}

export function infrastructureDetails(view: InfraView): string {
  const hosts = view.hosts.map((h) => [
    h.id,
    h.address,
    h.status,
    `${h.reserved.containers} of ${h.capacity.maxContainers}`,
    [...new Set(h.reservations.map((r) => `${r.app}/${r.service}`))].join(', '),
    h.problem,
  ]);
  const spares = view.spares ?? [];
  return capBytes(
    [
      `**${counted(view.hosts.filter((h) => h.status === 'AVAILABLE').length, 'host')} available** of ${view.hosts.length} · infrastructure ${view.name} · ${counted(view.bookings.length, 'member')} placed · ${counted(view.subnets.length, 'subnet')}`,
      '',
      view.hosts.length > 0 ? table(['host', 'address', 'status', 'containers', 'services', 'problem'], hosts) : 'No hosts yet.',
      ...(spares.length > 0 ? ['', `Spares: ${spares.map((s) => `${s.id} (${s.address})`).join(', ')}`] : []),
    ].join('\n'),
    DETAILS_MAX_BYTES,
  );
}

/** The host workflow's view (workflows/messages.ts HostWorkflowView), as far as it is shown. */
export interface HostDetailsView {
  infrastructure: string;
  hostId: string;
  phase: string;
  step?: string;
  problem?: string;
  consecutiveFailures: number;
  dockerVersion?: string;
  provisionedInMs?: number;
}

export function hostDetails(view: HostDetailsView): string {
  return [
    `**${view.phase}** · host ${view.hostId} of infrastructure ${view.infrastructure}`,
    '',
    ...(view.step ? [`- provisioning step: ${view.step}`] : []),
    ...(view.dockerVersion ? [`- Docker ${cell(view.dockerVersion)}`] : []),
    ...(view.provisionedInMs !== undefined ? [`- provisioned in ${(view.provisionedInMs / 1000).toFixed(1)} s`] : []),
    `- probes failed in a row: ${view.consecutiveFailures}`,
    ...(view.problem ? [`- problem: ${cell(view.problem)}`] : []),
  ].join('\n');
}

/** The monitor's view (workflows/messages.ts HostMonitorView). */
export interface MonitorDetailsView {
  infrastructure: string;
  hostId: string;
  reported: number;
  watches: number;
  lastOutcome?: string;
}

export function monitorDetails(view: MonitorDetailsView): string {
  return [
    `**Watching** host ${view.hostId} of infrastructure ${view.infrastructure}`,
    '',
    `- member events passed on to services: ${view.reported}`,
    `- watches: ${view.watches}${view.lastOutcome ? ` (the last ended: ${cell(view.lastOutcome)})` : ''}`,
  ].join('\n');
}
