// `clocker resize APP SERVICE N` and `clocker scale APP SERVICE ±N`: the service's Update
// answers the size it accepted (or refuses one outside its bounds), then the command follows
// the members as they come and go until the service runs exactly that many.
import type { ServiceView } from '../../domain/application/status';
import type { ResizeServiceRequest } from '../../workflows/messages';
import type { ClockerClient } from '../clockerClient';
import { renderApp } from '../render/appTable';

export interface ResizeOptions {
  timeoutSec: number;
  wait: boolean;
}

const memberLine = (s: ServiceView) =>
  s.members.map((m) => `${m.member}:${m.state.toLowerCase()}@${m.hostId}`).join(' ');

export async function resizeAndWait(c: ClockerClient, app: string, service: string, request: ResizeServiceRequest, opts: ResizeOptions): Promise<boolean> {
  const { size, from } = await c.resizeService(app, service, request);
  console.log(`${app}/${service}: ${from} → ${size} member${size === 1 ? '' : 's'}`);
  if (!opts.wait) return true;
  let last = '';
  const done = (s: ServiceView | undefined) =>
    s !== undefined && s.status !== 'UPDATING' && (s.status === 'FAILED' || (s.desired === size && s.members.length === size && s.members.every((m) => m.state === 'RUNNING')));
  const view = await c.waitFor(
    app,
    (v) => done(v.services.find((s) => s.id === service)),
    opts.timeoutSec * 1000,
    (v) => {
      const s = v.services.find((x) => x.id === service);
      const line = s ? `  ${s.status.toLowerCase()}: ${memberLine(s)}` : '';
      if (line !== last) console.log(line);
      last = line;
    },
  );
  console.log(renderApp(view));
  const s = view.services.find((x) => x.id === service);
  if (s?.status !== 'RUNNING') {
    console.error(`${app}/${service} is ${s?.status}: ${s?.error ?? ''}`);
    return false;
  }
  return true;
}
