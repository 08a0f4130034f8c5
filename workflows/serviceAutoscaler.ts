// The autoscaler, as one of the service's duties (workflows/serviceDuties.ts): every period
// while the service is RUNNING it measures the members (one activity), decides
// (domain/application/autoscaler.ts: grow or shrink by a step after the metric stayed past a
// threshold long enough) and pushes a new size through the same path an operator's resize
// takes. Every decision is kept with its inputs in the service's view (`autoscaler`), alike
// holds counted in one entry. Operators move its bounds rather than its size
// (domain/application/resizeRequest.ts); a move lasts until a version changes the policy's own bounds.
import { isCancellation, patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MemberMetric } from '../activities/monitoring/serviceMetrics';
import type { AutoscalerPolicy } from '../domain/blueprint/model';
import { autoscalerSettings, averageSample, decide, heldBounds, track, type Bounds, type Streak } from '../domain/application/autoscaler';
import { autoscalerHeader, recordDecision } from '../domain/application/autoscalerRecord';
import { failureText } from './failureText';
import type { DutyCarry, ServiceDuty } from './serviceDuties';
import type { ServiceVersion } from './serviceMembers';
import type { ServiceState } from './serviceState';

/** Per member: a one-shot `docker stats` compares two readings a second apart. */
const MEMBER_TIMEOUT_MS = 5_000;
// A local activity: a measurement is short, and as a marker it costs the history 6 events a
// period instead of 11 (a service measured every 10 s adds about 2,200 an hour, not 4,000).
// One try: a measurement that fails is a missed sample, and the next period measures again.
const measuring = proxyLocalActivities<Activities>({ startToCloseTimeout: '20s', retry: { maximumAttempts: 1 } });

/** Bounds an operator set, and the policy's own bounds they were set over. */
interface MovedBounds extends Bounds {
  over: Bounds;
}

interface AutoscalerCarry {
  streak?: Streak;
  moved?: MovedBounds;
  nextAt?: number;
}

export class Autoscaler implements ServiceDuty {
  readonly name = 'autoscaler';
  private streak: Streak | undefined;
  private moved: MovedBounds | undefined;
  private nextAt: number | undefined;
  /** Bounds moved since the last report: the next run reports whatever it decides. */
  private boundsMoved = false;

  constructor(
    private readonly state: ServiceState,
    /** The latest version (a resize asked meanwhile included): its spec holds the policy, size and cluster bounds. */
    private readonly version: () => ServiceVersion,
    /** The operators' resize path, for the autoscaler's own sizes. */
    private readonly resize: (size: number, asked: string) => void,
    carried?: DutyCarry,
  ) {
    const c = carried as AutoscalerCarry | undefined;
    this.streak = c?.streak;
    this.moved = c?.moved;
    this.nextAt = c?.nextAt;
  }

  private policy(): AutoscalerPolicy | undefined {
    return this.version().spec.policies?.autoscaler;
  }

  /** The operator's bounds, while the policy's own are still those they were set over. Pure: the Update's validator asks too. */
  private movedOver(policy: AutoscalerPolicy): Bounds | undefined {
    const m = this.moved;
    return m && m.over.min === policy.minSize && m.over.max === policy.maxSize ? { min: m.min, max: m.max } : undefined;
  }

  /** For resize requests: the metric and the bounds in force, when the service is autoscaled. */
  managing(): { metric: string; bounds: Bounds } | undefined {
    const policy = this.policy();
    if (!policy) return undefined;
    const spec = this.version().spec;
    return { metric: policy.metric, bounds: heldBounds(autoscalerSettings(policy, this.movedOver(policy)).bounds, spec.size) };
  }

  /** An operator moved the bounds (already validated); the caller brings the size within them. */
  moveBounds(bounds: Bounds): void {
    const policy = this.policy();
    if (!policy) return;
    this.moved = { ...bounds, over: { min: policy.minSize, max: policy.maxSize } };
    this.streak = undefined;
    this.boundsMoved = true;
    this.state.view.lastEvent = `autoscaler bounds moved to ${bounds.min}..${bounds.max}`;
    this.state.view.autoscaler = { ...autoscalerHeader(policy.metric, policy.lowThreshold, policy.highThreshold, bounds, true), decisions: this.state.view.autoscaler?.decisions ?? [] };
  }

  /**
   * A new version from the application: the blueprint's count is only where an autoscaled
   * service starts, so it keeps the size it has (held within the version's bounds) instead of
   * dropping back to it. Only once the autoscaler has run (its record exists): services of
   * earlier releases take every version's count as before.
   */
  keepSize(next: ServiceVersion, now: ServiceVersion): ServiceVersion {
    const policy = next.spec.policies?.autoscaler;
    if (!policy || next.request === undefined || !this.state.view.autoscaler) return next;
    const bounds = heldBounds(autoscalerSettings(policy, this.movedOver(policy)).bounds, next.spec.size);
    const size = Math.min(bounds.max, Math.max(bounds.min, now.spec.count));
    return size === next.spec.count ? next : { ...next, spec: { ...next.spec, count: size } };
  }

  dueAt(): number | undefined {
    const policy = this.policy();
    // Only a settled, running service is measured: not while stopped, ON_FIRE, failed or mid-operation.
    if (!policy || this.state.view.status !== 'RUNNING') {
      this.streak = undefined;
      this.nextAt = undefined;
      // A version without the policy: its record goes from the status with the next report.
      if (!policy) delete this.state.view.autoscaler;
      return undefined;
    }
    // Services of earlier releases never evaluated their autoscaler: no timer, no activity.
    if (!patched('svc-autoscaler')) return undefined;
    this.nextAt ??= Date.now() + policy.periodMs;
    return this.nextAt;
  }

  async run(): Promise<boolean> {
    const policy = this.policy();
    if (!policy) return false;
    const { state } = this;
    const moved = this.movedOver(policy);
    // A version changed the policy's own bounds: the operator's move is over.
    if (!moved) this.moved = undefined;
    const settings = autoscalerSettings(policy, moved);
    this.nextAt = Date.now() + settings.periodMs;
    const running = state.liveMembers().filter((m) => m.state === 'RUNNING');
    let answers: MemberMetric[] = running.map((m) => ({ member: m.member }));
    let failure: string | undefined;
    try {
      answers = await measuring.measureServiceMetric({
        metric: policy.metric,
        ...(policy.source ? { source: policy.source } : {}),
        timeoutMs: MEMBER_TIMEOUT_MS,
        members: running.map((m) => ({ member: m.member, containerName: m.containerName, hostAddress: m.hostAddress, ports: m.ports, docker: state.view.hostEndpoints[m.hostId]! })),
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      failure = failureText(err);
    }
    const errors = [...(failure ? [failure] : []), ...answers.flatMap((a) => (a.error ? [a.error] : []))];
    const sample = averageSample(Date.now(), answers.map((a) => a.value), errors);
    this.streak = track(this.streak, sample, settings);
    const spec = this.version().spec;
    const decision = decide({ settings, cluster: spec.size, size: spec.count, sample, streak: this.streak });
    const { decisions, added } = recordDecision(state.view.autoscaler?.decisions ?? [], { decision, sample, from: spec.count, at: new Date(sample.at).toISOString() });
    const bounds = heldBounds(settings.bounds, spec.size);
    state.view.autoscaler = { ...autoscalerHeader(settings.metric, settings.low, settings.high, bounds, this.moved !== undefined), decisions };
    if (decision.action !== 'hold') {
      // New members change the average: the next step waits its whole delay again.
      this.streak = undefined;
      this.resize(decision.size, `autoscaler: ${decision.reason}`);
      state.view.lastEvent = `autoscaler: ${decision.reason}`;
    }
    const report = added || this.boundsMoved;
    this.boundsMoved = false;
    return report;
  }

  carry(): DutyCarry {
    const c: AutoscalerCarry = {
      ...(this.streak ? { streak: this.streak } : {}),
      ...(this.moved ? { moved: this.moved } : {}),
      ...(this.nextAt !== undefined ? { nextAt: this.nextAt } : {}),
    };
    return { ...c };
  }
}
