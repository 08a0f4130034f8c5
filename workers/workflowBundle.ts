// Where the worker's workflow code comes from. Bundling the workflows (webpack) at every start
// takes seconds and leaves ~130 MiB in the worker that is never given back, so `npm run build`
// writes the bundle once to dist/workflow-bundle.js and a worker loads that file while it is
// fresh: newer than every file it is made from (workflows/, domain/, and the lockfile, which
// pins the SDK the bundle carries). Otherwise, with the sources edited since, it bundles as before.
import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';

/** The checkout (or image) root, whether this file runs as source or as dist/workers/*.js. */
const ROOT = __filename.endsWith('.js') ? join(__dirname, '..', '..') : join(__dirname, '..');

/** What `npm run build` writes. */
export const BUNDLE_FILE = join(ROOT, 'dist', 'workflow-bundle.js');

/**
 * Set to a bundle file to use it whatever its age (the test stack's bundle made once per test
 * process), or to `off` to bundle the sources at start (the memory bench's baseline).
 */
export const BUNDLE_ENV = 'CLOCKER_WORKFLOW_BUNDLE';

/** The folders the bundle is made from; an image that ships only dist/ has none of them. */
const SOURCES = ['workflows', 'domain'];

/** The workflows' entry, as source (under tsx) or compiled JavaScript. */
export function workflowsPath(): string {
  return require.resolve('../workflows');
}

/** The workflow interceptor modules every Clocker worker's bundle includes (summaries, metrics). */
export function workflowInterceptorModules(): string[] {
  return [require.resolve('../workflows/consoleInterceptors')];
}

function newestFile(dir: string, newest: number): number {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest; // not shipped
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    newest = entry.isDirectory() ? newestFile(full, newest) : Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** undefined when `file` may be loaded; else why not, in a few words. */
export function bundleProblem(file = BUNDLE_FILE, root = ROOT): string | undefined {
  let built: number;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    return `${file} is not built`;
  }
  let newest = 0;
  for (const dir of SOURCES) newest = newestFile(join(root, dir), newest);
  try {
    newest = Math.max(newest, statSync(join(root, 'package-lock.json')).mtimeMs);
  } catch {
    // no lockfile shipped: the image's node_modules were installed with this bundle
  }
  return newest > built ? `${file} is older than the workflow sources` : undefined;
}

export interface WorkflowSource {
  options: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  /** For the worker's log line. */
  description: string;
}

/** The bundle file named by CLOCKER_WORKFLOW_BUNDLE, else dist's while fresh, else the sources bundled now. */
export function workflowSource(env: NodeJS.ProcessEnv = process.env): WorkflowSource {
  const given = env[BUNDLE_ENV];
  if (given === 'off') return { options: { workflowsPath: workflowsPath() }, description: `workflows bundled at start (${BUNDLE_ENV}=off)` };
  if (given) return { options: { workflowBundle: { codePath: given } }, description: `workflows from ${given}` };
  const problem = bundleProblem();
  if (problem === undefined) return { options: { workflowBundle: { codePath: BUNDLE_FILE } }, description: `workflows from ${BUNDLE_FILE}` };
  return { options: { workflowsPath: workflowsPath() }, description: `workflows bundled at start (${problem}; \`npm run build\` writes it)` };
}

/** The bundler's logger: warnings and errors only. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

/** Bundles the workflows with the worker's interceptors into `file` (written whole, then renamed, so a reader never sees half). */
export async function writeWorkflowBundle(file = BUNDLE_FILE): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: workflowInterceptorModules(), logger: quietBundlerLogger });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
}
