// `clocker resize APP SERVICE N` and `clocker scale APP SERVICE ±N`: the service's Update
// answers the size it accepted (or refuses one outside its bounds), then the command follows
// the members as they come and go until the service runs exactly that many.
import type { ServiceView } from '../../domain/application/status';
import type { ResizeServiceRequest } from '../../workflows/messages';
import type { ClockerClient } from '../clockerClient';
import { renderApp } from '../render/appTable';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { memberLine, serviceLine } from '../progress/progressLines';
import { ProgressPrinter } from '../progress/progressPrinter';
import { detachedText, followUntilInterrupted, watchHint } from '../progress/reattach';

export interface ResizeOptions {
  timeoutSec: number;
  wait: boolean;
}

export async function resizeAndWait(c: ClockerClient, app: string, service: string, request: ResizeServiceRequest, opts: ResizeOptions): Promise<boolean> {
  const { size, from, min, max } = await c.resizeService(app, service, request);
  const bounds = min !== undefined && max !== undefined ? ` (autoscaler bounds ${min}..${max})` : '';
  console.log(`${app}/${service}: ${from} → ${size} member${size === 1 ? '' : 's'}${bounds}`);
  if (!opts.wait) {
    console.log(detachedText(`resizing ${app}/${service}`, watchHint(app)));
    return true;
  }
  const done = (s: ServiceView | undefined) =>
    s !== undefined && s.status !== 'UPDATING' && (s.status === 'FAILED' || (s.desired === size && s.members.length === size && s.members.every((m) => m.state === 'RUNNING')));
  const printer = new ProgressPrinter();
  const view = await followUntilInterrupted(printer, watchHint(app), () =>
    c.waitFor(
      app,
      (v) => done(v.services.find((s) => s.id === service)),
      opts.timeoutSec * 1000,
      (v) => {
        const s = v.services.find((x) => x.id === service);
        // Members that come and go are shown one by one even past the usual limit: they are what a resize is about.
        if (s) printer.update([serviceLine(s), ...s.members.map((m) => memberLine(s, m))]);
      },
      FOLLOW_INTERVAL_MS,
    ),
  );
  printer.end();
  console.log(renderApp(view));
  const s = view.services.find((x) => x.id === service);
  if (s?.status !== 'RUNNING') {
    console.error(`${app}/${service} is ${s?.status}: ${s?.error ?? ''}`);
    return false;
  }
  return true;
}
