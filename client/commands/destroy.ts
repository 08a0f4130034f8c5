// `clocker destroy APP`: ask the application to tear itself down and follow it to its end.
import type { ClockerClient } from '../clockerClient';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { appLines } from '../progress/progressLines';
import { ProgressPrinter } from '../progress/progressPrinter';
import { detachedText, followUntilInterrupted, watchHint } from '../progress/reattach';

export async function destroyAndWait(c: ClockerClient, app: string, o: { timeoutSec: number; detach: boolean }): Promise<void> {
  if (o.detach) {
    await c.sendDestroy(app);
    console.log(detachedText(`destroying "${app}"`, watchHint(app)));
    return;
  }
  const printer = new ProgressPrinter();
  const view = await followUntilInterrupted(printer, watchHint(app), () => c.destroy(app, o.timeoutSec * 1000, (v) => printer.update(appLines(v)), FOLLOW_INTERVAL_MS));
  printer.end();
  if (view.status !== 'DESTROYED') throw new Error(`application ${view.name} is ${view.status}: ${view.error ?? ''}`);
  console.log(`application ${view.name}: ${view.status}`);
}
