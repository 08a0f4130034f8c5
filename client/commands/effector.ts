// `clocker stop|start|restart APP [SERVICE]`: signal the effector, follow each service's
// members until it is carried out, then show the application; the exit code says whether
// the state asked for was reached.
import type { Effector } from '../../workflows/messages';
import type { ClockerClient } from '../clockerClient';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { appLines } from '../progress/progressLines';
import { ProgressPrinter } from '../progress/progressPrinter';
import { detachedText, followUntilInterrupted, watchHint } from '../progress/reattach';
import { renderApp } from '../render/appTable';

export interface EffectorOptions {
  timeoutSec: number;
  detach: boolean;
}

/** Answers whether every service involved reached the state the effector asks for. */
export async function effectorAndWait(c: ClockerClient, app: string, effector: Effector, service: string | undefined, o: EffectorOptions): Promise<boolean> {
  const sent = await c.sendEffector(app, effector, service);
  const what = `${effector} of ${service ? `${app}/${service}` : app}`;
  if (o.detach) {
    console.log(detachedText(what, watchHint(app)));
    return true;
  }
  console.log(`${what}: asked`);
  const printer = new ProgressPrinter();
  const view = await followUntilInterrupted(printer, watchHint(app), () => c.waitForEffector(sent, o.timeoutSec * 1000, (v) => printer.update(appLines(v)), FOLLOW_INTERVAL_MS));
  printer.end();
  console.log(renderApp(view));
  const wanted = effector === 'stop' ? 'STOPPED' : 'RUNNING';
  const missed = view.services.filter((s) => (service ? s.id === service : s.status !== 'PENDING') && s.status !== wanted);
  if (missed.length > 0) {
    console.error(`${effector}: ${missed.map((s) => `${s.id} is ${s.status}${s.error ? ` (${s.error})` : ''}`).join('; ')}`);
    return false;
  }
  return true;
}
