// Every host that holds members has a monitor workflow. It is ensured where members are
// placed (the placement activity), with signal-with-start: idempotent, starts the monitor if
// none runs, and otherwise tells the running one that the host has new members (so an idle
// monitor about to end stays). Ensuring it from an activity adds no command to any workflow,
// so histories of earlier releases replay unchanged and their placements get monitors too.
import type { Client } from '@temporalio/client';
import { hostMonitorWorkflowId } from '../../domain/naming';
import { infraStatusQuery, watchHostSignal } from '../../workflows/messages';
import { searchAttributes } from '../../workflows/searchAttributes';
import { monitorStaticDetails, monitorSummary } from '../../domain/console/staticSummary';

export async function ensureHostMonitor(temporal: Client, taskQueue: string, infrastructure: string, hostId: string): Promise<void> {
  await temporal.workflow.signalWithStart('hostMonitor', {
    workflowId: hostMonitorWorkflowId(infrastructure, hostId),
    taskQueue,
    args: [{ infrastructure, hostId }],
    signal: watchHostSignal,
    signalArgs: [],
    staticSummary: monitorSummary(infrastructure, hostId),
    staticDetails: monitorStaticDetails(infrastructure, hostId),
  });
}

/**
 * Every host with members booked, in every running infrastructure, gets its monitor. A worker
 * runs this when it starts, so members placed before monitoring existed (or whose monitor was
 * terminated) are watched after an upgrade, which restarts the workers anyway. Answers how
 * many monitors were ensured.
 */
export async function ensureMonitorsForBookedHosts(temporal: Client): Promise<number> {
  let ensured = 0;
  const problems: string[] = [];
  for await (const wf of temporal.workflow.list({ query: `${searchAttributes.kind.name}="infrastructure" AND ExecutionStatus="Running"` })) {
    // One infrastructure that does not answer (no worker on its queue, say) does not keep the others unwatched.
    try {
      const view = await temporal.workflow.getHandle(wf.workflowId).query(infraStatusQuery);
      for (const host of view.hosts.filter((h) => h.reservations.length > 0)) {
        await ensureHostMonitor(temporal, wf.taskQueue, view.name, host.id);
        ensured += 1;
      }
    } catch (err) {
      problems.push(`${wf.workflowId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new Error(`${ensured} monitors ensured, but not for ${problems.join('; ')}`);
  return ensured;
}
