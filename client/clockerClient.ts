// The typed client library behind the CLI (and the tests): start, watch and stop Clocker's
// workflows by their well-known ids.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppView } from '../domain/application/status';
import type { Blueprint } from '../domain/blueprint/model';
import type { InfrastructureSpec } from '../domain/infra/model';
import { workflowIds } from '../domain/naming';
import { appStatusQuery, destroySignal, infraStatusQuery, type InfraView } from '../workflows/messages';
import {
  allocateSubnetUpdate,
  releaseSubnetUpdate,
  type AllocateSubnetRequest,
  type ReleaseSubnetRequest,
  type ReleaseSubnetResult,
  type SubnetInfo,
} from '../workflows/messages';
import { searchAttributes } from '../workflows/searchAttributes';

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
    if (running) return 'existing';
    await this.temporal.workflow.start('infrastructure', {
      taskQueue: this.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [spec],
    });
    return 'started';
  }

  async infrastructureStatus(name: string): Promise<InfraView> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(name)).query(infraStatusQuery);
  }

  async deploy(blueprint: Blueprint): Promise<void> {
    try {
      await this.temporal.workflow.start('application', {
        taskQueue: this.taskQueue,
        workflowId: workflowIds.application(blueprint.name),
        workflowIdConflictPolicy: 'FAIL',
        args: [{ blueprint }],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new Error(`application "${blueprint.name}" is already deployed; \`clocker destroy ${blueprint.name}\` first`);
      }
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

  /** Polls the application's status until `done` says so, or the time runs out. */
  async waitFor(app: string, done: (v: AppView) => boolean, timeoutMs: number, onChange?: (v: AppView) => void): Promise<AppView> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const view = await this.status(app);
      const text = JSON.stringify(view);
      if (text !== last) onChange?.(view);
      last = text;
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`application "${app}" is still ${view.status} after ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 500));
    }
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

  /** Asks the application to tear itself down and waits for the workflow's last word. */
  async destroy(app: string, timeoutMs: number): Promise<AppView> {
    const handle = this.temporal.workflow.getHandle(workflowIds.application(app));
    try {
      await handle.signal(destroySignal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Error(`no running application "${app}"`);
      throw err;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`application "${app}" was not destroyed within ${timeoutMs / 1000}s`)), timeoutMs);
    });
    try {
      return (await Promise.race([handle.result(), timeout])) as AppView;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Carves (or names) a subnet for `owner` from the infrastructure's pools; asking again returns the same one. */
  async allocateSubnet(infrastructure: string, request: AllocateSubnetRequest): Promise<SubnetInfo> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).executeUpdate(allocateSubnetUpdate, { args: [request] });
  }

  async releaseSubnet(infrastructure: string, request: ReleaseSubnetRequest): Promise<ReleaseSubnetResult> {
    return this.temporal.workflow.getHandle(workflowIds.infrastructure(infrastructure)).executeUpdate(releaseSubnetUpdate, { args: [request] });
  }
}
