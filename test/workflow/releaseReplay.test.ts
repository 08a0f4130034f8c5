// Every history kept from an earlier release (test/histories/<release>/) replays against the
// workflow code of this tree. A change in workflows/ that alters the commands an old run
// issued, without `patched()` (workflows/patches.ts), fails here with the file and the
// non-determinism error. Replay runs in-process: no Temporal server needed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { HISTORIES_ROOT, loadRelease, readManifest, releases } from '../support/historyArchive';
import { workflowBundle } from '../support/temporalEnv';

// Replay logs each non-determinism as a warning too; the assertion below names them once.
Runtime.install({ logger: new DefaultLogger('ERROR') });

describe('histories of earlier releases replay against this workflow code', () => {
  const kept = releases();

  test('at least one release is kept', () => {
    assert.ok(kept.length > 0, `no release folder under ${HISTORIES_ROOT}`);
  });

  for (const release of kept) {
    test(release, async () => {
      const dir = join(HISTORIES_ROOT, release);
      const manifest = readManifest(dir);
      const runs = loadRelease(dir);
      const present = new Set(runs.map((r) => r.file));
      assert.deepEqual(manifest.filter((e) => !present.has(e.file)).map((e) => e.file), [], 'files the manifest lists are missing');
      assert.ok(manifest.length > 0 && runs.length >= manifest.length, `${runs.length} histories for ${manifest.length} saved`);

      const failures: string[] = [];
      let replayed = 0;
      const input = runs.map((r) => ({ workflowId: r.workflowId, history: r.history }));
      // One result per history, in the order given.
      for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, input)) {
        const run = runs[replayed]!;
        replayed += 1;
        if (result.error) failures.push(`${release}/${run.file} (${run.workflowType} ${run.workflowId}): ${result.error.name}: ${result.error.message}`);
      }
      assert.equal(replayed, runs.length, 'every history was replayed');
      assert.deepEqual(failures, [], `${failures.length} of ${runs.length} histories of ${release} no longer replay`);
    });
  }
});
