// What `clocker worker` must add before the worker runs: only the settings nobody gave it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingWorkerSettings } from '../../client/commands/worker';

test('started bare: every malloc variable and node flag is missing', () => {
  assert.deepEqual(missingWorkerSettings({}, []), { env: { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' }, flags: ['--max-semi-space-size=4'] });
});

test('settings given explicitly, in argv, NODE_OPTIONS or the environment, are kept (another value counts as given)', () => {
  assert.deepEqual(missingWorkerSettings({ MALLOC_ARENA_MAX: '8', MALLOC_TRIM_THRESHOLD_: '0' }, ['--max-semi-space-size=16']), { env: {}, flags: [] });
  assert.deepEqual(missingWorkerSettings({ NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=2' }, []).flags, []);
  assert.deepEqual(missingWorkerSettings({ MALLOC_ARENA_MAX: '2' }, []).env, { MALLOC_TRIM_THRESHOLD_: '131072' });
});
