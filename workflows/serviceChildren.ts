// The application's service workflows. They are started with ParentClosePolicy ABANDON so they
// outlive the application's continue-as-new, and addressed by workflow id, so a later run of
// the application reaches the same children. Their end is seen as their final report (or,
// within the run that started them, as the failure they ended with).
import { ParentClosePolicy, condition, getExternalWorkflowHandle, startChild, type ExternalWorkflowHandle } from '@temporalio/workflow';
import { workflowIds } from '../domain/naming';
import type { ApplicationState } from './applicationState';
import { failureText } from './failureText';
import { service, type ServiceInput } from './service';

export class ServiceChildren {
  /** Services whose workflow runs, with how often each id was started (an old end never hides a new start). */
  private readonly running: Map<string, number>;
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

  has(id: string): boolean {
    return this.running.has(id);
  }

  async start(input: ServiceInput): Promise<void> {
    const id = input.spec.id;
    const child = await startChild(service, {
      workflowId: workflowIds.service(this.app, id),
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    const start = ++this.starts;
    this.running.set(id, start);
    // The last word of a child that ends in this run: its final view, or the failure it ended with.
    void child.result().then(
      (view) => this.state.report(view),
      (err: unknown) => this.state.serviceCrashed(id, failureText(err)),
    ).then(() => this.ended(id, start));
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

  /** Resolves when the service's workflow has ended (its final report, its failure, or it is gone). */
  async end(id: string): Promise<void> {
    await condition(() => !this.running.has(id) || this.state.service(id).final === true);
    this.running.delete(id);
  }

  private ended(id: string, start: number): void {
    if (this.running.get(id) === start) this.running.delete(id);
  }
}
