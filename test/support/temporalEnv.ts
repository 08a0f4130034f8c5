// The workflow tier's Temporal: a real dev server started by @temporalio/testing from the
// cached (or PATH) `temporal` binary, with Clocker's search attributes, and one workflow
// bundle shared by every worker in a test file.
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary } from '../../client/temporal/temporalBinary';
import { workflowInterceptorModules, workflowsPath } from '../../workers/createWorker';
import { searchAttributes } from '../../workflows/searchAttributes';

export async function startTestEnv(): Promise<TestWorkflowEnvironment> {
  // Expected activity failures are logged as warnings; keep test output to real errors.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const path = findTemporalBinary();
  if (!path) throw new Error('no Temporal CLI: run `node bin/clocker.js temporal-bin` first');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: Object.values(searchAttributes),
      extraArgs: ['--log-level', 'error'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  // The worker's own interceptors (activity summaries) are in the bundle, so the tiers run what ships.
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: workflowInterceptorModules(), logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
