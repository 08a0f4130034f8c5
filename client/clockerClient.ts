// The typed client library behind the CLI (and the tests): start, watch and stop Clocker's
// workflows by their well-known ids.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { planChanges, planText } from '../domain/application/plan';
import type { PreflightProblem } from '../domain/application/preflightProblems';
import { appHealth } from '../domain/application/appHealth';
import { SETTLED_APP_STATUSES, type AppView } from '../domain/application/status';
import type { Blueprint } from '../domain/blueprint/model';
import type { InfrastructureSpec } from '../domain/infra/model';
import { workflowIds } from '../domain/naming';
import { blueprintSizeProblem } from './payloadSize';
import { queryUnanswered } from './queryUnanswered';
import { pendingMemberSteps, withMemberSteps } from './progress/memberSteps';
import { applicationStaticDetails, applicationSummary, infrastructureStaticDetails, infrastructureSummary, preflightSummary } from '../domain/console/staticSummary';
import type { HostPolicy } from '../domain/infra/hostPolicy';
import { hostStatusQuery, serviceStatusQuery, setHostPolicyUpdate } from '../workflows/messages';
import { appStatusQuery, blueprintQuery, deployUpdate, destroySignal, restartSignal, startSignal, stopSignal, type Effector, infraStatusQuery, type InfraView } from '../workflows/messages';
import {
  allocateSubnetUpdate,
  releaseSubnetUpdate,
  type AllocateSubnetRequest,
  type ReleaseSubnetRequest,
  type ReleaseSubnetResult,
  type SubnetInfo,
} from '../workflows/messages';
import { searchAttributes } from '../workflows/searchAttributes';
import type { InfrastructureInput } from '../workflows/infrastructure';
import { addHostSignal, hostAddressUpdate, removeHostSignal, resizeSignal, type AddHostRequest } from '../workflows/messages';
import { resizeServiceUpdate, type ResizeServiceAnswer, type ResizeServiceRequest } from '../workflows/messages';

/** Before anything starts: the server would refuse the payload after a long wait and say less. */
function refuseOversized(blueprint: Blueprint): void {
  const problem = blueprintSizeProblem(blueprint);
  if (problem !== undefined) throw new Error(problem);
}

export class ClockerClient {
  constructor(
    readonly temporal: Client,
    readonly taskQueue: string,
  ) {}

  /** Starts the infrastructure workflow, or leaves the running one as it is (state kept). */
  async ensureInfrastructure(spec: InfrastructureSpec): Promise<'started' | 'existing'> {
    const workflowId = workflowIds.infrastructure(spec.name);
    const running = await this.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then((d) => d.status.name === 'RUNNING')
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      });
    if (running) {
      await this.correctHostAddresses(spec);
      return 'existing';
    }
    await this.temporal.workflow.start('infrastructure', {
      taskQueue: this.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [spec],
      // What the Web UI lists and shows for it (the details stay current: workflows/consoleDetails.ts).
      staticSummary: infrastructureSummary(spec),
      staticDetails: infrastructureStaticDetails(spec),
    });
    return 'started';
  }

  /**
   * A running infrastructure whose hosts' addresses differ from the spec's is told the new ones
   * (the local infrastructure of an earlier release recorded 127.0.0.1).
   */
  private async correctHostAddresses(spec: InfrastructureSpec): Promise<void> {
    if (spec.hosts.length === 0) return;
    const view = await this.infrastructureStatus(spec.name);
    for (const host of spec.hosts) {
      const known = view.hosts.find((h) => h.id === host.id);
      if (!known || known.address === host.address) continue;
      await this.temporal.workflow.getHandle(workflowIds.infrastructure(spec.name)).executeUpdate(hostAddressUpdate, { args: [{ hostId: host.id, address: host.address }] });
    }
  }

  async infrastructureStatus(name: string): Promise<InfraView> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(name)).query(infraStatusQuery);
  }

  /** Replaces an infrastructure's host policy; answers the policy in force. */
  async setHostPolicy(infrastructure: string, policy: HostPolicy): Promise<HostPolicy> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).executeUpdate(setHostPolicyUpdate, { args: [policy] });
  }

  /**
   * Starts the application, or hands a running one its new version; says which and the plan.
   * `admitted`: the caller has just run the preflight on this blueprint and found nothing, so a
   * new application does not run the same admission again before it starts.
   */
  async deploy(blueprint: Blueprint, { admitted = false }: { admitted?: boolean } = {}): Promise<{ kind: 'started' } | { kind: 'updated'; plan: string; version: number }> {
    refuseOversized(blueprint);
    try {
      await this.temporal.workflow.start('application', {
        taskQueue: this.taskQueue,
        workflowId: workflowIds.application(blueprint.name),
        workflowIdConflictPolicy: 'FAIL',
        args: [{ blueprint, ...(admitted ? { admitted } : {}) }],
        staticSummary: applicationSummary(blueprint),
        staticDetails: applicationStaticDetails(blueprint),
      });
      return { kind: 'started' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const handle = this.temporal.workflow.getHandle(workflowIds.application(blueprint.name));
    try {
      const { plan, version } = await handle.executeUpdate(deployUpdate, { args: [blueprint] });
      return { kind: 'updated', plan, version };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new Error(`"${blueprint.name}" refused the new version: ${err.cause?.message ?? err.message}`);
      throw err;
    }
  }

  /** The plan a blueprint would apply: every service added, or the difference from what runs. */
  async plan(blueprint: Blueprint): Promise<string> {
    refuseOversized(blueprint);
    try {
      const current = await this.temporal.workflow.getHandle(workflowIds.application(blueprint.name)).query(blueprintQuery);
      return planText(planChanges(current, blueprint));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return planText(planChanges({ ...blueprint, services: [] }, blueprint));
    }
  }

  /** The blueprint a running application runs, or undefined when none by that name runs. */
  async runningBlueprint(app: string): Promise<Blueprint | undefined> {
    const handle = this.temporal.workflow.getHandle(workflowIds.application(app));
    try {
      // A destroyed application's history still answers queries: only a running one counts.
      if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
      return await handle.query(blueprintQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Runs the preflight workflow: every problem the running infrastructure shows for this blueprint (none: it can be deployed). */
  async preflight(blueprint: Blueprint, services?: string[]): Promise<PreflightProblem[]> {
    refuseOversized(blueprint);
    return this.temporal.workflow.execute('preflight', {
      taskQueue: this.taskQueue,
      workflowId: `clocker/preflight/${blueprint.name}/${randomUUID()}`,
      args: [{ blueprint, ...(services ? { services } : {}) }],
      workflowExecutionTimeout: '5m',
      staticSummary: preflightSummary(blueprint),
    });
  }

  /**
   * `clocker resize` / `clocker scale`: asks the service for a size (or a change of size) and
   * answers what it accepted; a size outside its bounds is refused with the bounds in the message.
   */
  async resizeService(app: string, service: string, request: ResizeServiceRequest): Promise<ResizeServiceAnswer> {
    const view = await this.status(app);
    if (!view.services.some((s) => s.id === service)) throw new Error(`application "${app}" has no service "${service}"`);
    try {
      return await this.temporal.workflow.getHandle(workflowIds.service(app, service)).executeUpdate(resizeServiceUpdate, { args: [request] });
    } catch (err) {
      // The validator's words are the useful part; the SDK wraps them.
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof Error) throw new Error(`${app}/${service}: ${err.cause.message}`);
      throw err;
    }
  }

  async status(app: string): Promise<AppView> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.application(app)).query(appStatusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Error(`no application "${app}"`);
      throw err;
    }
  }

  /**
   * Polls the application's status until `done` says so, or the time runs out. A query that no
   * worker answers in time (one just died and its cached workflows move to another) is only a
   * poll without news: the next one asks again, until the deadline.
   */
  async waitFor(app: string, done: (v: AppView) => boolean, timeoutMs: number, onChange?: (v: AppView) => void, intervalMs = 500): Promise<AppView> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const view = await this.status(app).catch((err: unknown) => {
        if (!queryUnanswered(err) || Date.now() > deadline) throw err;
        return undefined;
      });
      if (!view) {
        await new Promise((r) => setTimeout(r, intervalMs));
        continue;
      }
      if (done(view)) {
        onChange?.(view);
        return view;
      }
      if (onChange) {
        const shown = await this.withLiveServices(view);
        const text = JSON.stringify(shown);
        if (text !== last) onChange(shown);
        last = text;
      }
      if (Date.now() > deadline) throw new Error(`application "${app}" is still ${view.status} after ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /**
   * The application's view with each service's own, live view in place of the last one it
   * reported: a service reports to its application at milestones, but its members' steps
   * (placed, created, healthy) are in its own state as they happen. For showing progress; a
   * service that does not answer keeps its reported view.
   */
  async withLiveServices(view: AppView): Promise<AppView> {
    const services = await Promise.all(
      view.services.map(async (s) => {
        if (s.status === 'PENDING' || s.final) return s;
        const id = workflowIds.service(view.name, s.id);
        const live = await this.temporal.workflow.getHandle(id).query(serviceStatusQuery).catch(() => s);
        // Members still PLACED are inside their start activity: its heartbeats say which step (pulling, creating…).
        if (!live.members.some((m) => m.state === 'PLACED')) return live;
        const steps = await pendingMemberSteps(this.temporal, id).catch(() => undefined);
        return steps ? withMemberSteps(live, steps) : live;
      }),
    );
    return { ...view, services };
  }

  /** Applications, newest first, from the visibility store. */
  async listApplications(includeEnded = false): Promise<{ name: string; status: string; workflowStatus: string }[]> {
    const rows: { name: string; status: string; workflowStatus: string }[] = [];
    const query = `${searchAttributes.kind.name} = "application"${includeEnded ? '' : ' AND ExecutionStatus = "Running"'}`;
    for await (const wf of this.temporal.workflow.list({ query })) {
      rows.push({
        name: wf.typedSearchAttributes.get(searchAttributes.app) ?? wf.workflowId,
        status: wf.typedSearchAttributes.get(searchAttributes.status) ?? '?',
        workflowStatus: wf.status.name,
      });
    }
    return rows;
  }

  /**
   * stop / start / restart an application (every service, in dependency order) or one of its
   * services: sends the signal and answers what to wait for (each service's count of carried
   * out effectors before it).
   */
  async sendEffector(app: string, effector: Effector, service: string | undefined): Promise<EffectorSent> {
    const view = await this.status(app);
    const targets = view.services.filter((s) => (service ? s.id === service : s.status !== 'PENDING'));
    if (service && targets.length === 0) throw new Error(`application "${app}" has no service "${service}"`);
    const before = new Map(targets.map((s) => [s.id, s.effectorsDone ?? 0]));
    const signal = effector === 'stop' ? stopSignal : effector === 'start' ? startSignal : restartSignal;
    const id = service ? workflowIds.service(app, service) : workflowIds.application(app);
    await this.temporal.workflow.getHandle(id).signal(signal);
    return { app, before };
  }

  /**
   * Waits until each service involved has carried the effector out, and then until the
   * application's own status has followed (it is derived from the services' reports, which
   * arrive a moment later): a `stop hello web` must not end on the application still RUNNING.
   * A workflow that never derives its status (one started before that rule) is given a few
   * seconds, then answered as it is.
   */
  async waitForEffector(sent: EffectorSent, timeoutMs: number, onChange?: (v: AppView) => void, intervalMs = 500): Promise<AppView> {
    const { app, before } = sent;
    let carriedOutAt: number | undefined;
    return this.waitFor(
      app,
      (v) => {
        if (!v.services.every((s) => !before.has(s.id) || (s.effectorsDone ?? 0) > (before.get(s.id) ?? 0))) return false;
        carriedOutAt ??= Date.now();
        const consistent = SETTLED_APP_STATUSES.includes(v.status) && v.status === appHealth(v.services).status;
        return consistent || Date.now() - carriedOutAt > STATUS_FOLLOW_GRACE_MS;
      },
      timeoutMs,
      onChange,
      intervalMs,
    );
  }

  async effector(app: string, effector: Effector, service: string | undefined, timeoutMs: number, onChange?: (v: AppView) => void): Promise<AppView> {
    return this.waitForEffector(await this.sendEffector(app, effector, service), timeoutMs, onChange);
  }

  /** Asks the application to tear itself down (it goes on without the caller). */
  async sendDestroy(app: string): Promise<void> {
    try {
      await this.temporal.workflow.getHandle(workflowIds.application(app)).signal(destroySignal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Error(`no running application "${app}"`);
      throw err;
    }
  }

  /** Asks the application to tear itself down and waits for the workflow's last word, showing its status meanwhile. */
  async destroy(app: string, timeoutMs: number, onChange?: (v: AppView) => void, intervalMs = 500): Promise<AppView> {
    await this.sendDestroy(app);
    const result = this.temporal.workflow.getHandle(workflowIds.application(app)).result() as Promise<AppView>;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`application "${app}" was not destroyed within ${timeoutMs / 1000}s`)), timeoutMs);
    });
    const watching = (async () => {
      while (onChange && !ended) {
        // A poll that finds nothing (the workflow just closed, a query unanswered) is only no news.
        const view = await this.status(app)
          .then((v) => this.withLiveServices(v))
          .catch(() => undefined);
        if (view && !ended) onChange(view);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
    try {
      return await Promise.race([result, timeout]);
    } finally {
      ended = true;
      clearTimeout(timer);
      await watching;
    }
  }

  /** Carves (or names) a subnet for `owner` from the infrastructure's pools; asking again returns the same one. */
  async allocateSubnet(infrastructure: string, request: AllocateSubnetRequest): Promise<SubnetInfo> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).executeUpdate(allocateSubnetUpdate, { args: [request] });
  }

  async releaseSubnet(infrastructure: string, request: ReleaseSubnetRequest): Promise<ReleaseSubnetResult> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).executeUpdate(releaseSubnetUpdate, { args: [request] });
  }

  /** Starts an infrastructure from an infra file's definition; a running one is left as it is. */
  async createInfrastructure(input: InfrastructureInput): Promise<'started' | 'existing'> {
    return this.ensureInfrastructure(input);
  }

  /** Polls the infrastructure's status until `done`, or fails naming what it last saw. */
  async waitForInfrastructure(name: string, done: (v: InfraView) => boolean, timeoutMs: number, onPoll?: (v: InfraView) => Promise<void> | void, intervalMs = 500): Promise<InfraView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.infrastructureStatus(name);
      await onPoll?.(view);
      if (done(view)) return view;
      if (Date.now() > deadline) {
        const hosts = view.hosts.map((h) => `${h.id}=${h.status}${h.problem ? ` (${h.problem})` : ''}`).join(', ');
        throw new Error(`infrastructure "${name}" not there after ${timeoutMs / 1000}s: ${hosts}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** The provisioning step a host's own workflow is on (connect, os, docker, …), or undefined when it does not say. */
  async hostStep(infrastructure: string, hostId: string): Promise<string | undefined> {
    // The id rule of workflows/host.ts (hostWorkflowId), not imported: that file is workflow code.
    const id = `${workflowIds.infrastructure(infrastructure)}/host/${hostId}`;
    const view = await this.temporal.workflow.getHandle(id).query(hostStatusQuery).catch(() => undefined);
    return view?.step;
  }

  async resizeInfrastructure(name: string, hosts: number): Promise<void> {
    await this.temporal.workflow.getHandle(workflowIds.infrastructure(name)).signal(resizeSignal, { hosts });
  }

  async addHost(name: string, request: AddHostRequest): Promise<void> {
    await this.temporal.workflow.getHandle(workflowIds.infrastructure(name)).signal(addHostSignal, request);
  }

  async removeHost(name: string, hostId: string): Promise<void> {
    await this.temporal.workflow.getHandle(workflowIds.infrastructure(name)).signal(removeHostSignal, { hostId });
  }
}

/** What `sendEffector` signalled, for `waitForEffector`. */
export interface EffectorSent {
  app: string;
  /** Each service involved, with how many effectors it had carried out before the signal. */
  before: Map<string, number>;
}

/** How long the application's status may lag its services' after an effector (see waitForEffector). */
const STATUS_FOLLOW_GRACE_MS = 5_000;

