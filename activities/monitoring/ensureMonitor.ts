// Every host that holds members has a monitor workflow. It is ensured where members are
// placed (the placement activity), with signal-with-start: idempotent, starts the monitor if
// none runs, and otherwise tells the running one that the host has new members (so an idle
// monitor about to end stays). Ensuring it from an activity adds no command to any workflow,
// so histories of earlier releases replay unchanged and their placements get monitors too.
import type { Client } from '@temporalio/client';
import { hostMonitorWorkflowId } from '../../domain/naming';
import { watchHostSignal } from '../../workflows/messages';

export async function ensureHostMonitor(temporal: Client, taskQueue: string, infrastructure: string, hostId: string): Promise<void> {
  await temporal.workflow.signalWithStart('hostMonitor', {
    workflowId: hostMonitorWorkflowId(infrastructure, hostId),
    taskQueue,
    args: [{ infrastructure, hostId }],
    signal: watchHostSignal,
    signalArgs: [],
  });
}
