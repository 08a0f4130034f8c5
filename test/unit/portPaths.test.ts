// What a worker learns of a remote host's published-port path: refused once means direct, for an hour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPortPaths } from '../../activities/docker/portPaths';

test('an address is direct once a refusal was seen there, and only that address', () => {
  const paths = createPortPaths(() => 0);
  assert.equal(paths.direct('10.0.0.1'), false);
  paths.refused('10.0.0.1');
  assert.equal(paths.direct('10.0.0.1'), true);
  assert.equal(paths.direct('10.0.0.2'), false);
});

test('a hang-up makes the address unknown again; a later refusal teaches it anew', () => {
  const paths = createPortPaths(() => 0);
  paths.refused('10.0.0.1');
  paths.hungUp('10.0.0.1');
  assert.equal(paths.direct('10.0.0.1'), false);
  paths.refused('10.0.0.1');
  assert.equal(paths.direct('10.0.0.1'), true);
});

test('what was learned is forgotten after the keep time (an engine may be reconfigured)', () => {
  let now = 1_000;
  const paths = createPortPaths(() => now, 60_000);
  paths.refused('10.0.0.1');
  now += 59_999;
  assert.equal(paths.direct('10.0.0.1'), true);
  now += 1;
  assert.equal(paths.direct('10.0.0.1'), false);
});
