// `npm run build`'s last step: the workflow bundle a compiled worker loads instead of bundling
// at every start (see ./workflowBundle.ts). Run as dist/workers/bundleWorkflows.js.
import { BUNDLE_FILE, writeWorkflowBundle } from './workflowBundle';

writeWorkflowBundle(BUNDLE_FILE).then(
  () => console.log(`workflow bundle: ${BUNDLE_FILE}`),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
