// A pull the engine is silent about (a registry that does not answer DNS) must keep the
// activity alive; the engine's final refusal must come out as ImageNotFoundError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { ensureImage } from '../../activities/docker/images';
import { ImageNotFoundError } from '../../activities/errors';

/** An engine without the image whose pull stays silent for `silentMs`, then fails with 500. */
function silentEngine(silentMs: number): Docker {
  const notFound = Object.assign(new Error('no such image'), { statusCode: 404 });
  const refused = Object.assign(new Error('(HTTP code 500) server error - Get "https://registry.invalid/v2/": dial tcp: lookup registry.invalid: i/o timeout'), { statusCode: 500 });
  const engine = {
    getImage: () => ({ inspect: () => Promise.reject(notFound) }),
    pull: () => new Promise((_, reject) => setTimeout(() => reject(refused), silentMs)),
    modem: { followProgress: () => undefined },
  };
  return engine as unknown as Docker;
}

test('a silent pull still reports progress on a timer, and a refused one is ImageNotFoundError', async () => {
  let beats = 0;
  const err = await ensureImage(silentEngine(4_500), 'unix:///fake.sock', 'registry.invalid/app:1', () => void (beats += 1)).then(
    () => assert.fail('the pull succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ImageNotFoundError, String(err));
  assert.match(err.message, /image registry\.invalid\/app:1 is not on unix:\/\/\/fake\.sock and could not be pulled: .*i\/o timeout/);
  // Every 2 s while the engine says nothing: at least twice in 4.5 s.
  assert.ok(beats >= 2, `progress reported ${beats} times`);
});

test('a pull stops when the activity is cancelled (the abort reaches the engine call)', { timeout: 10_000 }, async () => {
  const notFound = Object.assign(new Error('no such image'), { statusCode: 404 });
  let sawSignal = false;
  const engine = {
    getImage: () => ({ inspect: () => Promise.reject(notFound) }),
    // Never answers on its own: only the abort ends it, as a hung registry would.
    pull: (_image: string, opts: { abortSignal?: AbortSignal }) =>
      new Promise((_, reject) => {
        sawSignal = opts.abortSignal !== undefined;
        opts.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })));
      }),
    modem: { followProgress: () => undefined },
  } as unknown as Docker;
  const cancel = new AbortController();
  setTimeout(() => cancel.abort(), 100);
  await assert.rejects(ensureImage(engine, 'unix:///fake.sock', 'registry.invalid/app:1', () => undefined, cancel.signal), /aborted/);
  assert.equal(sawSignal, true);
});
