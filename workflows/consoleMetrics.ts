// Clocker's own metrics emitted from workflow code, through the SDK's workflow metric meter
// (which drops them while a workflow replays, so a restart counts nothing twice). They reach
// the worker's Prometheus endpoint (workers/telemetry.ts) with the SDK's own.
import { metricMeter } from '@temporalio/workflow';
import type { MemberState, ServiceView } from '../domain/application/status';
import { replacementsBetween } from '../domain/console/replacements';

export const METRIC = {
  deployments: 'clocker_deployments',
  members: 'clocker_members',
  replacements: 'clocker_member_replacements',
  memberEvents: 'clocker_member_events',
  placementRefusals: 'clocker_placement_refusals',
  hostProbeFailures: 'clocker_host_probe_failures',
} as const;

const STATES: readonly MemberState[] = ['PLACED', 'CREATED', 'RUNNING', 'STOPPED', 'FAILED', 'DRAINING', 'REMOVED'];

/** An application started (`new`) or a version deployed onto a running one (`version`). */
export function countDeployment(app: string, kind: 'new' | 'version'): void {
  metricMeter.createCounter(METRIC.deployments, 'deployments', 'Applications started and versions deployed').add(1, { app, kind });
}

/** A member event a host's monitor passed to a service (`die`, `oom`, `unhealthy`: a failed probe, …). */
export function countMemberEvent(app: string, service: string, event: string): void {
  metricMeter.createCounter(METRIC.memberEvents, 'events', "Member events from the hosts' monitors, by kind").add(1, { app, service, event });
}

/**
 * Follows one service's view: sets the members gauge for every state (0 for states it has no
 * member in, so a state emptied shows 0) and counts the replacements its last event reports.
 */
export function serviceMetrics(app: string, current: () => ServiceView): () => void {
  const gauge = metricMeter.createGauge(METRIC.members, 'int', 'members', 'Members of each service, by state');
  const replacements = metricMeter.createCounter(METRIC.replacements, 'members', 'Members replaced after they or their host failed');
  // The first view is the baseline: a run carried over by continue-as-new shows its last event again.
  let lastEvent: string | undefined;
  let seen = false;
  return () => {
    const view = current();
    for (const state of STATES) gauge.set(view.members.filter((m) => m.state === state).length, { app, service: view.id, state });
    const replaced = seen ? replacementsBetween(lastEvent, view.lastEvent) : 0;
    seen = true;
    if (replaced > 0) replacements.add(replaced, { app, service: view.id });
    lastEvent = view.lastEvent;
  };
}
