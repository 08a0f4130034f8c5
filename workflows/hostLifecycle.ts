// The infrastructure's side of its hosts' lives: start each host's child workflow, tell
// services when members must move, drain and decommission. Called by the infrastructure
// workflow; the rules themselves are in HostBooks.
import {
  condition,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  sleep,
  startChild,
  type SignalDefinition,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { DEFAULT_DOCKER_SETTINGS, DEFAULT_MONITORING, type ProvisioningSpec } from '../domain/infra/machines';
import { workflowIds } from '../domain/naming';
import { quick } from './activityOptions';
import { failureText } from './failureText';
import { host, hostWorkflowId } from './host';
import { hostStaticDetails, hostSummary } from '../domain/console/staticSummary';
import type { HostBooks, ServiceMembers } from './hostBooks';
import { decommissionSignal, serviceHostDrainingSignal, serviceHostFailedSignal, type ServiceHostEvent } from './messages';

const certificates = proxyActivities<Activities>(quick);

const DEFAULT_PROVISIONING: ProvisioningSpec = { docker: DEFAULT_DOCKER_SETTINGS, monitoring: DEFAULT_MONITORING, drainTimeoutSeconds: 300 };

export class HostLifecycle {
  private certRef: Promise<string> | undefined;
  /** Jobs (provisioning starts, drains, notices) still running: continueAsNew waits for none. */
  busy = 0;

  constructor(
    readonly infrastructure: string,
    readonly books: HostBooks,
  ) {}

  /** Runs a job beside the workflow's main line; a failure is logged, never lost silently. */
  spawn(what: string, job: () => Promise<void>): void {
    this.busy++;
    void job()
      .catch((err: unknown) => log.error(`${what}: ${failureText(err)}`))
      .finally(() => this.busy--);
  }

  private clientCertRef(): Promise<string> {
    // One CA per infrastructure, made once by one activity (host children only read it).
    this.certRef ??= certificates.ensureInfraCertificates(this.infrastructure);
    return this.certRef;
  }

  /**
   * Starts the host's child unless it runs. `afterDecommission`: a host just drained may still
   * be stopping its old child, so wait for that one to end instead of taking it for the new one.
   */
  async provision(hostId: string, afterDecommission: boolean): Promise<void> {
    const machine = this.books.machine(hostId);
    if (!machine) return;
    const certRef = await this.clientCertRef();
    for (let attempt = 0; ; attempt++) {
      try {
        await startChild(host, {
          workflowId: hostWorkflowId(this.infrastructure, hostId),
          // Hosts outlive each run of the infrastructure (continueAsNew) and report by workflow id.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: hostSummary(this.infrastructure, machine.host),
          staticDetails: hostStaticDetails(this.infrastructure, machine.host),
          args: [{ infrastructure: this.infrastructure, host: machine.host, provisioning: this.books.data.provisioning ?? DEFAULT_PROVISIONING, certRef, ...(machine.pinnedHostKey ? { pinnedHostKey: machine.pinnedHostKey } : {}) }],
        });
        return;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        if (!afterDecommission || attempt >= 30) return;
        await sleep('2s');
      }
    }
  }

  /** Tells each service which of its members were on the host (a service that is gone is skipped). */
  async notify(signal: SignalDefinition<[ServiceHostEvent]>, hostId: string, reason: string, groups: ServiceMembers[]): Promise<void> {
    for (const g of groups) {
      const event: ServiceHostEvent = { infrastructure: this.infrastructure, hostId, reason, members: g.members };
      await getExternalWorkflowHandle(workflowIds.service(g.app, g.service))
        .signal(signal, event)
        .catch((err: unknown) => log.warn(`could not tell ${g.app}/${g.service} about host ${hostId}: ${failureText(err)}`));
    }
  }

  /** Services move their members; after the timeout the rest is released anyway; then the host stops and leaves. */
  async drain(hostId: string, groups: ServiceMembers[]): Promise<void> {
    await this.notify(serviceHostDrainingSignal, hostId, 'host draining', groups);
    const timeoutMs = (this.books.data.provisioning ?? DEFAULT_PROVISIONING).drainTimeoutSeconds * 1000;
    await condition(() => this.books.membersOn(hostId) === 0, timeoutMs);
    const left = this.books.releaseAll(hostId);
    if (left.length > 0) await this.notify(serviceHostFailedSignal, hostId, 'drain timed out; members released', left);
    if (this.books.machine(hostId)) {
      await getExternalWorkflowHandle(hostWorkflowId(this.infrastructure, hostId))
        .signal(decommissionSignal)
        .catch((err: unknown) => log.warn(`host ${hostId} workflow did not take decommission: ${failureText(err)}`));
    }
    this.books.finishDrain(hostId);
  }
}
