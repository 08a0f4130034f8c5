// The monitor of one host's members, `clocker/infra/<infra>/monitor/<host>`: one long watcher
// activity at a time (the engine's event stream and a periodic inventory, see
// activities/monitoring/hostWatcher.ts), which signals the owning services itself. So
// monitoring costs one activity per host, not a timer per member, and this history grows by a
// handful of events per hour; it continues as new now and then all the same. Started (or
// nudged) by the placement activity with signal-with-start; it ends once nothing has been
// booked on the host for a while and no placement nudged it meanwhile.
import { continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERRORS } from './activityOptions';
import { HELP, hostMonitorStatusQuery, watchHostSignal, type HostMonitorView } from './messages';
import { searchAttributes } from './searchAttributes';
import { keepCurrentDetails } from './consoleDetails';
import { monitorDetails } from '../domain/console/currentDetails';

export interface HostMonitorInput {
  infrastructure: string;
  hostId: string;
  /** Carried across continue-as-new. */
  carried?: { reported: number; watches: number };
  /** Tests: shorter watches and idle time. */
  timing?: { runForMs?: number; idleAfterMs?: number; inventoryEveryMs?: number };
}

/** Watches per run before continuing as new (each is about an hour, about six events). */
const WATCHES_PER_RUN = 48;

// A watcher that stops heartbeating (its worker died) is retried on another worker within
// seconds; a host that does not answer is retried for as long as the monitor lives.
const watcher = proxyActivities<Activities>({
  startToCloseTimeout: '75m',
  heartbeatTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

export async function hostMonitor(input: HostMonitorInput): Promise<HostMonitorView> {
  const { infrastructure, hostId } = input;
  const view: HostMonitorView = { infrastructure, hostId, reported: input.carried?.reported ?? 0, watches: input.carried?.watches ?? 0 };
  let nudged = Date.now();
  setHandler(hostMonitorStatusQuery, () => view, { description: HELP.hostMonitorStatusQuery });
  keepCurrentDetails(() => monitorDetails(view));
  setHandler(watchHostSignal, () => void (nudged = Date.now()), { description: HELP.watchHostSignal });
  if (!input.carried) {
    upsertSearchAttributes([
      { key: searchAttributes.kind, value: 'monitor' },
      { key: searchAttributes.infrastructure, value: infrastructure },
    ]);
  }
  for (let watches = 0; ; watches++) {
    const started = Date.now();
    const outcome = await watcher.watchHostMembers({ infrastructure, hostId, ...input.timing });
    view.watches += 1;
    view.reported += outcome.reported;
    view.lastOutcome = outcome.ended;
    // Members placed while the watch was ending keep the monitor (the nudge is handled before this runs).
    if (outcome.ended !== 'rotated' && nudged <= started) return view;
    if (workflowInfo().continueAsNewSuggested || watches + 1 >= WATCHES_PER_RUN) {
      await continueAsNew<typeof hostMonitor>({ ...input, carried: { reported: view.reported, watches: view.watches } });
    }
  }
}
