// The application's service workflows. They are started with ParentClosePolicy ABANDON so they
// outlive the application's continue-as-new, and addressed by workflow id, so a later run of
// the application reaches the same children. A child's end is its final report; within the
// run that started it, also the result or failure it closed with; and in any run, a signal
// that can no longer reach it (waits probe for that now and then).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  sleep,
  startChild,
  type ExternalWorkflowHandle,
} from '@temporalio/workflow';
import { workflowIds } from '../domain/naming';
import type { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import { dependentsSyncedSignal } from './messages';
import { service, type ServiceInput } from './service';
import { serviceStaticDetails, serviceSummary } from '../domain/console/staticSummary';

/** How long a wait goes without news before it checks that the child still runs. */
const LIVENESS_PROBE = '1 minute';
/** A child removed a moment ago may still be closing when the same id starts again. */
const START_ATTEMPTS = 30;

export class ServiceChildren {
  /** Services whose workflow runs, with which start it was (an old end never hides a new start). */
  private readonly running: Map<string, number>;
  /** This run's children: resolved once the workflow has closed. */
  private readonly closed = new Map<string, Promise<void>>();
  private starts = 0;

  constructor(
    private readonly app: string,
    private readonly state: ApplicationState,
    carried: string[] = [],
  ) {
    this.running = new Map(carried.map((id) => [id, 0]));
  }

  /** For continue-as-new: the services whose workflows run. */
  ids(): string[] {
    return [...this.running.keys()];
  }

  /** Whether the service's workflow still runs (a final report counts as its end). */
  has(id: string): boolean {
    return this.running.has(id) && this.state.view.services.find((s) => s.id === id)?.final !== true;
  }

  async start(input: ServiceInput): Promise<void> {
    const id = input.spec.id;
    for (let attempt = 1; ; attempt++) {
      try {
        const child = await startChild(service, {
          workflowId: workflowIds.service(this.app, id),
          args: [input],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // The Web UI's summary and details (user metadata: replay does not compare it).
          staticSummary: serviceSummary(input),
          staticDetails: serviceStaticDetails(input),
        });
        const start = ++this.starts;
        this.running.set(id, start);
        // The last word of a child that ends in this run: its final view, or the failure it ended with.
        const closed = child.result().then(
          (view) => this.state.report(view),
          (err: unknown) => this.state.serviceCrashed(id, failureText(err)),
        );
        this.closed.set(id, closed.then(() => this.ended(id, start)));
        return;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= START_ATTEMPTS) throw err;
        await sleep('1s');
      }
    }
  }

  /** Signals a service; one that has ended cannot hear it, and that is the same as it failing. */
  async tell(id: string, send: (handle: ExternalWorkflowHandle) => Promise<void>): Promise<boolean> {
    const start = this.running.get(id);
    if (start === undefined) return false;
    try {
      await send(getExternalWorkflowHandle(workflowIds.service(this.app, id)));
      return true;
    } catch (err) {
      this.state.serviceCrashed(id, `cannot reach its workflow: ${failureText(err)}`);
      this.ended(id, start);
      return false;
    }
  }

  /** Waits until `done`, `stop`, or the child's end; a child that ended without a word is found by probing it. */
  async waitFor(id: string, done: () => boolean, stop: () => boolean): Promise<void> {
    for (;;) {
      if (await condition(() => done() || stop() || !this.has(id), LIVENESS_PROBE)) return;
      await this.tell(id, (h) => h.signal(dependentsSyncedSignal, { seq: 0 }));
    }
  }

  /** Resolves when the service's workflow has ended and, if this run started it, closed. */
  async end(id: string): Promise<void> {
    await this.waitFor(id, () => false, () => false);
    await this.closed.get(id);
    this.running.delete(id);
    this.closed.delete(id);
  }

  private ended(id: string, start: number): void {
    if (this.running.get(id) === start) this.running.delete(id);
  }
}
