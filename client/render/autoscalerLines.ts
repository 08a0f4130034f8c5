// `clocker status` lines for autoscaled services: the bounds in force, the latest decision with
// its inputs, and the latest change of size when that was earlier (the whole record is in
// `clocker status --json` and the service's query).
import type { AutoscalerDecision } from '../../domain/application/autoscalerRecord';
import type { ServiceView } from '../../domain/application/status';

const when = (iso: string) => iso.slice(11, 19);

function describe(d: AutoscalerDecision): string {
  const inputs = `${d.measured}/${d.of} members measured`;
  const times = d.times ? ` (×${d.times} since ${when(d.at)})` : '';
  const stamp = when(d.lastAt ?? d.at);
  return `${stamp} ${d.action}${d.action === 'hold' ? ` at ${d.from}` : ` ${d.from} → ${d.to}`}: ${d.reason}; ${inputs}${times}`;
}

export function autoscalerLines(services: ServiceView[]): string[] {
  return services.flatMap((s) => {
    const a = s.autoscaler;
    if (!a) return [];
    const head = `autoscaler: ${s.id} on ${a.metric} ${a.low}..${a.high}, ${a.min}..${a.max} members${a.moved ? ' (bounds moved by an operator)' : ''}`;
    const latest = a.decisions.at(-1);
    const change = [...a.decisions].reverse().find((d) => d.action !== 'hold');
    return [
      head,
      ...(latest ? [`  latest: ${describe(latest)}`] : []),
      ...(change && change !== latest ? [`  last change: ${describe(change)}`] : []),
    ];
  });
}
