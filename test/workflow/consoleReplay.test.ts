// The Web UI's additions replay: histories of earlier releases replay against this tree's
// workflows bundled with the worker's interceptors (workflows/consoleInterceptors.ts), which
// add a summary to every activity call. A summary is user metadata on the command, which
// replay does not compare, so no patch is needed; this test is what says so. (Current details,
// handler descriptions and child summaries are in the plain bundle that releaseReplay.test.ts
// replays.) Also: replaying emits none of Clocker's metrics. The newest release kept is enough:
// what the interceptors add does not depend on which release wrote the history, and
// releaseReplay.test.ts replays every release.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { HISTORIES_ROOT, loadRelease, releases } from '../support/historyArchive';
import { workflowInterceptorModules, workflowsPath } from '../../workers/createWorker';

Runtime.install({ logger: new DefaultLogger('ERROR') });

test('histories of the newest release kept replay with the summaries and metrics interceptors', async () => {
  const newest = releases().sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1);
  assert.ok(newest !== undefined, `no release folder under ${HISTORIES_ROOT}`);
  const kept = [newest];
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: workflowInterceptorModules(), logger: new DefaultLogger('ERROR') });
  const failures: string[] = [];
  let replayed = 0;
  for (const release of kept) {
    const runs = loadRelease(join(HISTORIES_ROOT, release));
    const input = runs.map((r) => ({ workflowId: r.workflowId, history: r.history }));
    let i = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, input)) {
      const run = runs[i++]!;
      replayed += 1;
      if (result.error) failures.push(`${release}/${run.file} (${run.workflowType}): ${result.error.name}: ${result.error.message}`);
    }
  }
  assert.ok(replayed > 0);
  assert.deepEqual(failures, [], `${failures.length} of ${replayed} histories no longer replay with the interceptors`);
});
