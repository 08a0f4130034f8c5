// Tables for `clocker status`.
import Table from 'cli-table3';
import { boundAddress } from '../../domain/application/publishedAddress';
import type { AppView } from '../../domain/application/status';
import { networkLine } from '../../domain/application/networkView';
import { autoscalerLines } from './autoscalerLines';

export function renderApp(view: AppView): string {
  const table = new Table({ head: ['service', 'member', 'host', 'state', 'container', 'addresses', 'ports'], style: { head: [], border: [] } });
  for (const s of view.services) {
    if (s.members.length === 0) table.push([`${s.id} (${s.status})`, '-', '-', '-', '-', '-', '-']);
    for (const m of s.members) {
      const ports = m.ports.map((p) => (p.boundHostPort ? `${boundAddress(m.hostAddress, p.hostIp)}:${p.boundHostPort}->${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`));
      const addresses = Object.entries(m.networks ?? {}).map(([network, ip]) => `${network} ${ip}`);
      const state = m.restarts ? `${m.state} (restarted ${m.restarts}×)` : m.state;
      table.push([`${s.id} (${s.status})`, `${m.member} (v${m.generation})`, m.hostId, m.error ? `${state}: ${m.error}` : state, m.containerId?.slice(0, 12) ?? m.containerName, addresses.join(', ') || '-', ports.join(', ')]);
    }
  }
  // The application's error sums up its services' errors; print it only when they say nothing.
  const serviceErrors = view.services.flatMap((s) => (s.error ? [`${s.id}: ${s.error}`] : []));
  const errors = serviceErrors.length > 0 ? serviceErrors : view.error ? [view.error] : [];
  const rollbacks = view.services.flatMap((s) => (s.rollout?.outcome === 'ROLLED_BACK' ? [`${s.id}: ${s.rollout.message}`] : []));
  // What happened by itself since: services' own events (a host failed) and the application's (a reload ran).
  const events = [...view.services.flatMap((s) => (s.lastEvent && !s.recoveries?.includes(s.lastEvent) ? [`${s.id}: ${s.lastEvent}`] : [])), ...(view.lastEvent ? [view.lastEvent] : [])];
  // What the failure chain did lately (restarts, replacements, giving up), oldest first.
  const recoveries = view.services.flatMap((s) => (s.recoveries ?? []).map((r) => `${s.id}: ${r}`));
  return [
    `application ${view.name} on ${view.location}: ${view.status} (version ${view.version})`,
    table.toString(),
    ...(view.networks ?? []).map(networkLine),
    ...errors.map((e) => `error: ${e}`),
    ...rollbacks.map((r) => `rolled back: ${r}`),
    ...recoveries.map((r) => `recovery: ${r}`),
    ...events.map((e) => `last event: ${e}`),
    ...autoscalerLines(view.services),
  ].join('\n');
}

export function renderAppList(rows: { name: string; status: string; workflowStatus: string }[]): string {
  if (rows.length === 0) return 'no applications';
  const table = new Table({ head: ['application', 'status', 'workflow'], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.name, r.status, r.workflowStatus]);
  return table.toString();
}
