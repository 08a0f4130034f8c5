// `clocker infra status`'s headroom lines: the setting, where the pool stands now, and the
// decisions that acted (newest last), each with its reason.
import type { HeadroomAction } from '../../domain/infra/headroom';
import type { HeadroomRecord } from '../../domain/infra/headroomBooks';
import type { HeadroomView } from '../../domain/infra/statusView';

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

/** A setting as people write it ("10m", "1h"); anything under a minute, or not whole, in seconds. */
function duration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

function actionText(action: HeadroomAction): string {
  switch (action.kind) {
    case 'bring-in':
      return `bring in ${action.hosts.join(', ')}`;
    case 'release':
      return `release ${action.host}`;
    case 'short':
      return 'short';
    case 'hold':
      return 'hold';
  }
}

const decisionLine = (r: HeadroomRecord) => `  ${new Date(r.at).toISOString().slice(0, 19).replace('T', ' ')} ${actionText(r.action)}: ${r.reason}`;

export function headroomLines(view: HeadroomView): string[] {
  const lines = [`headroom: keep ${pct(view.free)} free (idle hosts go back to the spares after ${duration(view.releaseAfterMs)}; checked every ${duration(view.checkMs)})`];
  if (view.last) {
    const i = view.last.inputs;
    const coming = i.coming.length > 0 ? `; coming: ${i.coming.join(', ')}` : '';
    const idle = i.idle.length > 0 ? `; idle: ${i.idle.map((h) => `${h.host} ${duration(h.forMs)}`).join(', ')}` : '';
    lines.push(`  now ${pct(i.free)} free (${i.tightest} ${i.used}/${i.capacity} used), ${i.spares} spare${i.spares === 1 ? '' : 's'}${coming}${idle}: ${actionText(view.last.action)}`);
  }
  lines.push(...view.decisions.map(decisionLine));
  return lines;
}
