// The one Docker client factory: one client per endpoint while it is used; clients of hosts
// nobody asked for in ten minutes are let go, so a long-lived worker does not keep every host
// it ever talked to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDockerClientFactory } from '../../activities/docker/dockerClient';

test('one client per endpoint while it is used; an idle one is dropped and made afresh when asked again', () => {
  let clock = 0;
  const dockerFor = createDockerClientFactory(() => clock);
  const a = { kind: 'tcp' as const, host: '10.0.0.1', port: 2375 };
  const b = { kind: 'tcp' as const, host: '10.0.0.2', port: 2375 };
  const first = dockerFor(a);
  dockerFor(b);
  assert.equal(dockerFor({ ...a }), first);
  clock = 9 * 60_000;
  dockerFor(a); // a is in use; b has not been asked since 0
  clock = 11 * 60_000;
  assert.equal(dockerFor(a), first);
  assert.equal(dockerFor.size(), 1);
  assert.notEqual(dockerFor(b), undefined);
  assert.equal(dockerFor.size(), 2);
});
