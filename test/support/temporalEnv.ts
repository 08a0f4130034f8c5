// The workflow tier's Temporal: a real dev server started by @temporalio/testing from the
// cached (or PATH) `temporal` binary, with Clocker's search attributes, and one workflow
// bundle shared by every worker in a test file (the built one while it is fresh).
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary } from '../../client/temporal/temporalBinary';
import { workflowInterceptorModules, workflowsPath } from '../../workers/createWorker';
import { BUNDLE_FILE, bundleProblem, quietBundlerLogger } from '../../workers/workflowBundle';
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

/** A bundle a worker or a replayer takes: the file `npm run build` wrote, or code bundled now. */
export type TestWorkflowBundle = NonNullable<WorkerOptions['workflowBundle']>;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflows bundled from the sources now (webpack, seconds of CPU): what the bundle test checks. */
export function sourceBundle(): Promise<WorkflowBundleWithSourceMap> {
  // The worker's own interceptors (activity summaries) are in the bundle, so the tiers run what ships.
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: workflowInterceptorModules(), logger: quietBundlerLogger });
  return bundle;
}

/**
 * What the tiers' workers run: dist/workflow-bundle.js while it is newer than the sources (CI
 * builds it first; the same file the product's worker loads), else the sources bundled now.
 * Bundling in every test file cost seconds of CPU each on a loaded CI machine.
 */
export async function workflowBundle(): Promise<TestWorkflowBundle> {
  return bundleProblem() === undefined ? { codePath: BUNDLE_FILE } : sourceBundle();
}
