// A service: start its members, report to the application, then live: apply updates (a
// rolling replacement, member by member and health-gated, rolled back on failure; or a
// resize) until destroyed.
import {
  allHandlersFinished,
  CancellationScope,
  ContinueAsNew,
  condition,
  isCancellation,
  continueAsNew,
  patched,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { specFingerprint } from '../domain/application/specFingerprint';
import { referencedSecrets } from '../domain/blueprint/references/resolveValue';
import { failureText } from './failureText';
import {
  HELP,
  dependentsSyncedSignal,
  destroySignal,
  reconfiguredSignal,
  serviceHostDrainingSignal,
  capacityFreedSignal,
  serviceHostFailedSignal,
  serviceReportSignal,
  serviceResizeSignal,
  resizeServiceUpdate,
  type ResizeServiceRequest,
  serviceScaleSignal,
  serviceStatusQuery,
  restartSignal,
  startSignal,
  stopSignal,
  upgradeSignal,
  memberEventSignal,
  memberProbesQuery,
  type MemberEvent,
  type Effector,
  type ServiceHostEvent,
} from './messages';
import { searchAttributes } from './searchAttributes';
import { ServiceMembers, type ServiceVersion } from './serviceMembers';
import { ServiceState, type ServiceSnapshot } from './serviceState';
import { applyUpdate, converge, replaceMembersOf, runEffector } from './serviceOperations';
import { recoverMember, worthChecking } from './serviceRecovery';
import { keepCurrentDetails } from './consoleDetails';
import { serviceMetrics } from './consoleMetrics';
import { serviceDetails } from '../domain/console/currentDetails';
import { carryDuties, nextDue, type DutyCarry, type ServiceDuty } from './serviceDuties';
import { RestoreSize } from './serviceRestore';
import { Autoscaler } from './serviceAutoscaler';
import { resolveResize } from '../domain/application/resizeRequest';

export interface ServiceInput extends Partial<Omit<ServiceVersion, 'spec'>> {
  app: string;
  infrastructure: string;
  spec: ServiceVersion['spec'];
  /** Set when a run continues as new: the state and the work not yet done. */
  carried?: CarriedService;
  /** Continue as new after this many handled requests (tests); otherwise when Temporal suggests it. */
  continueAsNewEvery?: number;
}

/** How long a removal waits for the application to confirm that dependents stopped using the members. */
const DRAIN_WAIT = '60s';
/** Member events queued at most (a burst beyond it is found again by the next inventory). */
const MEMBER_EVENTS_KEPT = 1000;

interface CarriedService {
  state: ServiceSnapshot;
  /** The last `dependentsSynced` number heard. */
  synced?: number;
  current: ServiceVersion;
  pending: ServiceVersion[];
  hostEvents: HostEventItem[];
  effectors: Effector[];
  /** Absent in runs carried before member monitoring. */
  memberEvents?: MemberEvent[];
  /** The duties' own state, by name (absent in runs carried before duties). */
  duties?: Record<string, DutyCarry>;
}

type HostEventItem = { kind: 'failed' | 'draining'; event: ServiceHostEvent };

export async function service(input: ServiceInput) {
  const state = new ServiceState(input.app, input.spec.id, input.spec.count, input.carried?.state);
  try {
    return await runService(input, state);
  } catch (err) {
    if (err instanceof ContinueAsNew || isCancellation(err)) throw err;
    // An activity that ran out of retries, say: the application hears that this service ended.
    state.failed(`the service workflow failed: ${failureText(err)}`);
    state.view.final = true;
    const parent = workflowInfo().parent;
    if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(serviceReportSignal, state.view).catch(() => undefined);
    throw err;
  }
}

async function runService(input: ServiceInput, state: ServiceState) {
  const { app, infrastructure, spec, env = {}, networks = [], dns = [], memberAddresses, carried } = input;
  let current: ServiceVersion = carried?.current ?? { spec, env, networks, dns, ...(memberAddresses ? { memberAddresses } : {}) };
  let destroyRequested = false;
  const pending: ServiceVersion[] = carried?.pending ?? [];
  const hostEvents: HostEventItem[] = carried?.hostEvents ?? [];
  const effectors: Effector[] = carried?.effectors ?? [];
  const memberEvents: MemberEvent[] = carried?.memberEvents ?? [];
  let handled = 0;
  /** The version being applied right now, if any: a resize asked meanwhile builds on it. */
  let applying: ServiceVersion | undefined;
  const latestVersion = () => pending.at(-1) ?? applying ?? current;
  setHandler(stopSignal, () => void effectors.push('stop'), { description: HELP.stopSignal });
  setHandler(startSignal, () => void effectors.push('start'), { description: HELP.startSignal });
  setHandler(restartSignal, () => void effectors.push('restart'), { description: HELP.restartSignal });
  setHandler(serviceStatusQuery, () => state.view, { description: HELP.serviceStatusQuery });
  // The Web UI's current details and the members gauge follow the view (no command).
  keepCurrentDetails(() => serviceDetails(app, state.view), serviceMetrics(app, () => state.view));
  // The hosts' watchers keep probing running members with the current version's health check.
  setHandler(memberProbesQuery, () => ({
    ...(current.spec.health ? { health: current.spec.health } : {}),
    secretNames: referencedSecrets(Object.values(current.env)),
    members: state.liveMembers().filter((m) => m.state === 'RUNNING').map(({ member, hostId, hostAddress, containerName, containerId, ports }) => ({ member, hostId, hostAddress, containerName, ports, ...(containerId ? { containerId } : {}) })),
  }), { description: HELP.memberProbesQuery });
  /** The operation under way (first start, update, replacement, effector): a destroy interrupts it. */
  let operation: CancellationScope | undefined;
  setHandler(destroySignal, () => {
    destroyRequested = true;
    operation?.cancel();
  }, { description: HELP.destroySignal });
  /** Runs work that a destroy may cut short; what it started is then removed by the teardown. */
  const interruptible = async (work: () => Promise<void>): Promise<void> => {
    if (destroyRequested) return; // asked while a report was on its way: nothing new starts
    operation = new CancellationScope();
    try {
      await operation.run(work);
    } catch (err) {
      if (!isCancellation(err)) throw err;
    } finally {
      operation = undefined;
    }
  };
  setHandler(upgradeSignal, (next) => void pending.push(next), { description: HELP.upgradeSignal });
  setHandler(serviceHostFailedSignal, (event) => void hostEvents.push({ kind: 'failed', event }), { description: HELP.serviceHostFailedSignal });
  setHandler(serviceHostDrainingSignal, (event) => void hostEvents.push({ kind: 'draining', event }), { description: HELP.serviceHostDrainingSignal });
  // From the hosts' monitors (workflows/hostMonitor.ts): handled in the loop, one at a time, by the failure chain.
  setHandler(memberEventSignal, (event) => {
    if (memberEvents.length < MEMBER_EVENTS_KEPT) memberEvents.push(event);
  }, { description: HELP.memberEventSignal });
  // Running members were reloaded with these values; members started from now on get them too.
  setHandler(reconfiguredSignal, ({ env: rebound, dns: reboundDns, spec: boundFor }) => {
    for (const version of [current, applying, ...pending]) {
      if (version && specFingerprint(version.spec) === boundFor) Object.assign(version, { env: rebound, dns: reboundDns });
    }
  }, { description: HELP.reconfiguredSignal });
  let synced = carried?.synced ?? 0;
  setHandler(dependentsSyncedSignal, ({ seq }) => void (synced = Math.max(synced, seq)), { description: HELP.dependentsSyncedSignal });
  // Operators and the autoscaler change the size; it applies as a version with a new count.
  const resizeTo = (wanted: number, asked: string, byAutoscaler = false) => {
    if (!Number.isFinite(wanted)) {
      state.view.lastEvent = `${asked} ignored: not a number`;
      return;
    }
    // An autoscaled service's size is its autoscaler's (a plain signal cannot be answered: the refusal is recorded).
    const managed = byAutoscaler ? undefined : autoscaler.managing();
    if (managed) {
      state.view.lastEvent = `${asked} refused: the service is autoscaled (${managed.metric}, ${managed.bounds.min}..${managed.bounds.max}); move its bounds with clocker resize APP SERVICE --min N --max M`;
      return;
    }
    const latest = latestVersion();
    const { min, max } = latest.spec.size;
    const size = Math.min(max, Math.max(min, Math.round(wanted)));
    if (size !== wanted) state.view.lastEvent = `${asked}: held to ${size} by the cluster's bounds ${min}..${max}`;
    // Not the application's request: the resize is the operator's.
    pending.push({ ...latest, spec: { ...latest.spec, count: size }, request: undefined });
  };
  const autoscaler = new Autoscaler(state, latestVersion, (size, asked) => resizeTo(size, asked, true), carried?.duties?.autoscaler);
  setHandler(serviceScaleSignal, (arg) => {
    const by = typeof arg === 'number' ? arg : Number(arg?.by);
    resizeTo(latestVersion().spec.count + by, `scale by ${by}`);
  }, { description: HELP.serviceScaleSignal });
  // An autoscaled service takes new bounds for its autoscaler (min/max), not a size (domain/application/resizeRequest.ts).
  const resizeAsked = (req: ResizeServiceRequest) => {
    const { count, size: cluster } = latestVersion().spec;
    const managed = autoscaler.managing();
    return resolveResize(req, { count, cluster, ...(managed ? { autoscaler: managed } : {}) });
  };
  setHandler(
    resizeServiceUpdate,
    (req) => {
      const from = latestVersion().spec.count;
      const { size, bounds } = resizeAsked(req);
      if (bounds) autoscaler.moveBounds(bounds);
      if (!bounds || size !== from) resizeTo(size, req.size !== undefined ? `resize to ${size}` : `scale by ${req.by}`, bounds !== undefined);
      return { size, from, ...(bounds ? { min: bounds.min, max: bounds.max } : {}) };
    },
    {
      description: HELP.resizeServiceUpdate,
      validator: (req) => {
        resizeAsked(req);
        if (destroyRequested) throw new Error('the service is being destroyed');
      },
    },
  );
  setHandler(serviceResizeSignal, (arg) => {
    const size = typeof arg === 'number' ? arg : Number(arg?.size);
    resizeTo(size, `resize to ${size}`);
  }, { description: HELP.serviceResizeSignal });
  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'service' },
    { key: searchAttributes.app, value: app },
    { key: searchAttributes.service, value: spec.id },
    { key: searchAttributes.infrastructure, value: infrastructure },
  ]);

  /** A report sent without waiting for it (svc-start-lean, svc-teardown-lean): the next one waits for it first, so reports arrive in order. */
  let inFlight: Promise<void> | undefined;
  const publish = async () => {
    if (inFlight) {
      const previous = inFlight;
      inFlight = undefined;
      await previous;
    }
    upsertSearchAttributes([{ key: searchAttributes.status, value: state.view.status }]);
    const parent = workflowInfo().parent;
    if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(serviceReportSignal, state.view);
  };
  /** Tells the application which members are draining and waits (bounded) for its word that dependents know. */
  const drain = async () => {
    if (destroyRequested || !workflowInfo().parent) return;
    const seq = (state.view.syncRequested ?? 0) + 1;
    state.view.syncRequested = seq;
    await publish();
    if (!(await condition(() => synced >= seq || destroyRequested, DRAIN_WAIT))) {
      state.view.lastEvent = `dependents were not confirmed reloaded within ${DRAIN_WAIT}; members removed anyway`;
    }
  };
  /** Sends a report (with the view as it is now) and goes on at once; the next publish meets its outcome. */
  const publishAhead = () => {
    const sending = publish();
    sending.catch(() => undefined); // met by the next publish, which awaits it: not an unhandled rejection meanwhile
    inFlight = sending;
  };
  const members = new ServiceMembers(app, infrastructure, state, publish, drain);
  // What the service does by itself on a clock (workflows/serviceDuties.ts).
  const restore = new RestoreSize(members, state, () => current, carried?.duties?.restore);
  const duties: ServiceDuty[] = [restore, autoscaler];
  /** Set when a duty's time moved earlier (room freed): the wait is cut short. */
  let dutiesMoved = false;
  setHandler(
    capacityFreedSignal,
    () => {
      if (restore.nudge()) dutiesMoved = true;
    },
    { description: HELP.capacityFreedSignal },
  );

  // Whatever failed to start is removed again; the failure stays in the status.
  const failAndClean = async (err: unknown) => {
    const problems = await members.remove(state.liveMembers().map((m) => m.member));
    state.failed([failureText(err), ...problems].join('; '));
  };

  if (!carried) {
    state.setStatus('PLACING');
    // Since svc-start-lean the placement is asked while the application hears PLACING: a workflow-task round trip fewer before the first create.
    if (patched('svc-start-lean')) publishAhead();
    else await publish();
    await interruptible(async () => {
      try {
        state.setStatus('STARTING');
        await members.start(current, state.view.generation, spec.count);
        state.setStatus('RUNNING');
      } catch (err) {
        if (isCancellation(err)) throw err; // destroyed meanwhile: the teardown removes what started
        await failAndClean(err);
      }
    });
    await publish();
  }

  const timeToContinue = () =>
    (workflowInfo().continueAsNewSuggested || (input.continueAsNewEvery !== undefined && handled >= input.continueAsNewEvery)) && allHandlersFinished();
  const requested = () => destroyRequested || pending.length > 0 || hostEvents.length > 0 || effectors.length > 0 || memberEvents.length > 0 || timeToContinue();
  for (;;) {
    // A duty that is due sets the only timer an otherwise idle service has; services of earlier releases had none.
    const due = nextDue(duties);
    if (due && patched('svc-duties')) {
      const wait = due.at - Date.now();
      if (wait > 0) await condition(() => requested() || dutiesMoved, wait);
      dutiesMoved = false;
      if (!requested()) {
        const now = nextDue(duties); // a nudge may have brought another one forward
        if (!now || now.at > Date.now()) continue;
        handled += 1;
        let changed = false;
        await interruptible(async () => {
          changed = await now.duty.run();
        });
        if (changed) await publish();
        continue;
      }
    } else await condition(requested);
    if (destroyRequested) break;
    if (timeToContinue()) {
      // History stays bounded: the next run starts from this state, with the work still queued.
      await continueAsNew<typeof service>({
        ...input,
        carried: { state: state.snapshot(), synced, current, pending, hostEvents, effectors, memberEvents, duties: carryDuties(duties) },
      });
    }
    handled += 1;
    const effector = effectors.shift();
    // An operator's start or restart puts out a fire: the chain starts counting afresh.
    if (effector === 'start' || effector === 'restart') state.clearRecovery();
    if (effector) {
      // `start` converges (failed members replaced, missing ones placed) since svc-start-converges.
      const converges = effector === 'start' && patched('svc-start-converges');
      await interruptible(() => (converges ? converge(members, state, current) : runEffector(members, state, current, effector)));
      state.view.effectorsDone = (state.view.effectorsDone ?? 0) + 1;
      await publish();
      continue;
    }
    const hostEvent = hostEvents.shift();
    if (hostEvent) {
      await interruptible(() => replaceMembersOf(members, state, current, hostEvent.kind, hostEvent.event));
      await publish();
      continue;
    }
    const memberEvent = memberEvents.shift();
    if (memberEvent) {
      // Most events are about members the service is stopping or removing itself: dropped without a command.
      if (!worthChecking(state, memberEvent)) continue;
      let changed = false;
      await interruptible(async () => {
        changed = await recoverMember(members, state, current, memberEvent, () => Date.now());
      });
      if (changed) await publish();
      continue;
    }
    // An autoscaled service keeps the size its autoscaler reached through a new version of the application.
    const next = autoscaler.keepSize(pending.shift()!, current);
    state.clearRecovery(); // a new version puts out a fire too
    applying = next;
    state.setStatus('UPDATING');
    await publish();
    await interruptible(async () => {
      current = await applyUpdate(members, state, current, next);
    });
    applying = undefined;
    await publish();
  }

  state.setStatus('DESTROYING');
  // Since svc-teardown-lean the removals start while the application is told (the signal is sent
  // with the view as it is now), and the bookings go back in one call with no report between:
  // two workflow-task round trips and an activity fewer before the service ends.
  const lean = patched('svc-teardown-lean');
  if (lean) publishAhead();
  else await publish();
  const problems = await members.remove(state.liveMembers().map((m) => m.member), true, lean);
  // Members whose container went but whose room an interrupted removal never gave back are gone too.
  state.forget(state.view.members.filter((m) => m.state === 'REMOVED').map((m) => m.member));
  if (state.liveMembers().length === 0 && problems.length === 0) {
    if (!lean) await members.release(); // lean: remove() gave everything back
    state.setStatus('DESTROYED');
  } else state.failed(`destroy incomplete: ${problems.join('; ')}`);
  state.view.final = true;
  await publish();
  return state.view;
}
