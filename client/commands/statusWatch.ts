// `clocker status APP --watch` (and `clocker infra status NAME --watch`): the same lines a
// long command shows, kept up to date until Ctrl-C or until the workflow ends. Where a
// command left off (Ctrl-C, --detach), this picks the work up again.
import type { ClockerClient } from '../clockerClient';
import { FOLLOW_INTERVAL_MS } from '../progress/followInterval';
import { appLines } from '../progress/progressLines';
import { ProgressPrinter } from '../progress/progressPrinter';
import { showInfra } from './infraCreate';

const pause = () => new Promise((r) => setTimeout(r, FOLLOW_INTERVAL_MS));

/** Ctrl-C is how a watch is meant to end: quietly, and successfully. */
function endOnInterrupt(printer: ProgressPrinter): void {
  process.once('SIGINT', () => {
    printer.end();
    process.exit(0);
  });
}

export async function watchApp(c: ClockerClient, app: string): Promise<void> {
  const printer = new ProgressPrinter();
  endOnInterrupt(printer);
  for (;;) {
    const view = await c.waitFor(app, () => true, 60_000, undefined, FOLLOW_INTERVAL_MS);
    printer.update(appLines(view.status === 'DESTROYED' ? view : await c.withLiveServices(view)));
    if (view.status === 'DESTROYED') break;
    await pause();
  }
  printer.end();
}

export async function watchInfra(c: ClockerClient, name: string): Promise<void> {
  const printer = new ProgressPrinter();
  endOnInterrupt(printer);
  for (;;) {
    await showInfra(c, printer, await c.infrastructureStatus(name));
    await pause();
  }
}
