// Workflow interceptors for the Web UI and metrics, registered by the worker
// (workers/createWorker.ts, `interceptors.workflowModules`):
// - every activity call carries a summary (domain/console/activitySummary.ts), e.g.
//   `create shop.web.3 on h2 (10.0.0.12)`: the summary goes into the ScheduleActivityTask
//   command's user metadata, which replay does not compare (test/workflow/consoleReplay.test.ts
//   replays the kept histories with these interceptors);
// - deployments and member events are counted (workflows/consoleMetrics.ts).
// Nothing here issues a command or changes what a workflow decides.
import { workflowInfo, type ActivityInput, type Next, type WorkflowInterceptorsFactory, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { activitySummary } from '../domain/console/activitySummary';
import { countDeployment, countMemberEvent } from './consoleMetrics';

/** `clocker/app/<app>/svc/<service>` → its parts. */
function serviceOf(workflowId: string): { app: string; service: string } | undefined {
  const m = /^clocker\/app\/([^/]+)\/svc\/([^/]+)$/.exec(workflowId);
  return m ? { app: m[1]!, service: m[2]! } : undefined;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  /** `app.service.member` → `h2 (10.0.0.12)`, from this run's placements. */
  const placedOn = new Map<string, string>();
  const hostOf = (app: string, service: string, member: string) => placedOn.get(`${app}.${service}.${member}`);

  const scheduleActivity = (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) => {
    const summary = input.options.summary ?? activitySummary(input.activityType, input.args, hostOf);
    const result = next(summary === undefined ? input : { ...input, options: { ...input.options, summary } });
    if (input.activityType === 'placeMembers') {
      const { app, service } = (input.args[0] ?? {}) as { app?: string; service?: string };
      // A branch of its own, failures ignored: the caller handles the result as before.
      result.then(
        (assignments) => {
          if (!Array.isArray(assignments)) return;
          for (const a of assignments as { member: string; host: { id: string; address: string } }[]) placedOn.set(`${app}.${service}.${a.member}`, `${a.host.id} (${a.host.address})`);
        },
        () => undefined,
      );
    }
    return result;
  };

  return {
    outbound: [{ scheduleActivity }],
    // Each wrapper hands back the very promise it was given: an extra `await` here would delay
    // an Update's completion behind commands the workflow issues meanwhile, and replay of old
    // histories would fail (consoleReplay.test.ts caught exactly that).
    inbound: [
      {
        execute(input, next) {
          const carried = (input.args[0] as { carried?: unknown } | undefined)?.carried !== undefined;
          const { workflowType, workflowId } = workflowInfo();
          if (workflowType === 'application' && !carried) countDeployment(workflowId.replace(/^clocker\/app\//, ''), 'new');
          return next(input);
        },
        handleUpdate(input, next) {
          const answer = next(input);
          if (input.name === 'deploy' && workflowInfo().workflowType === 'application') {
            const app = workflowInfo().workflowId.replace(/^clocker\/app\//, '');
            answer.then(() => countDeployment(app, 'version'), () => undefined);
          }
          return answer;
        },
        handleSignal(input, next) {
          const svc = input.signalName === 'memberEvent' ? serviceOf(workflowInfo().workflowId) : undefined;
          const event = (input.args[0] as { event?: unknown } | undefined)?.event;
          if (svc && typeof event === 'string') countMemberEvent(svc.app, svc.service, event);
          return next(input);
        },
      },
    ],
  };
};
