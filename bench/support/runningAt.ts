// When an application became RUNNING, without a bench's own polling weighing on the measure.
// Polling the status query every few ms to catch the moment costs the worker and the dev server
// a query task each time (seen: 0.3–0.4 CPU-s on the bench's side of a 30-member deploy, more on
// theirs), CPU the floor's measure does not spend. So the bench polls as the CLI does (every
// 500 ms) and takes the moment from the application's history: the search attribute upsert
// that says RUNNING, written in the workflow task that saw the last member healthy.
import type { temporal } from '@temporalio/proto';
import type { AppView } from '../../domain/application/status';
import { workflowIds } from '../../domain/naming';
import type { ClockerClient } from '../../client/clockerClient';

type Event = temporal.api.history.v1.IHistoryEvent;

/** The epoch ms of a history event. */
export const eventMs = (e: Event): number => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);

/** The ms from `askedAt` (epoch ms) until the application's status first said RUNNING after it; throws if it failed instead. */
export async function runningAfter(clocker: ClockerClient, app: string, askedAt: number, timeoutMs = 600_000): Promise<number> {
  const view: AppView = await clocker.waitFor(app, (v) => v.status !== 'DEPLOYING', timeoutMs);
  if (view.status !== 'RUNNING') throw new Error(`${app} ${view.status}: ${view.error ?? ''}`);
  const history = await clocker.temporal.workflow.getHandle(workflowIds.application(app)).fetchHistory();
  const running = (history.events ?? []).find((e) => eventMs(e) >= askedAt && saysRunning(e));
  if (!running) throw new Error(`${app}: RUNNING, but no search attribute upsert says so in its history`);
  return eventMs(running) - askedAt;
}

function saysRunning(e: Event): boolean {
  const payload = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.ClockerStatus;
  return payload?.data !== undefined && payload.data !== null && Buffer.from(payload.data).toString('utf8').includes('"RUNNING"');
}
