// The destroy's sweep of an application's networks on a swarm manager: an overlay whose
// containers just left other nodes is refused a moment ("in use by task") and is removed once
// the swarm lets go; any other refusal stands at once. On an in-memory engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { removeAppResourcesOn } from '../../activities/docker/networks';
import { DockerRequestError } from '../../activities/errors';

const refusal = (status: number, message: string) => Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status, json: { message } });
const inUse = () => refusal(400, 'rpc error: code = FailedPrecondition desc = network abc is in use by task 4uppv');

/** A swarm manager holding the app's overlay; `removal(n)` answers the n-th removal (throws to refuse). */
function manager(removal: (attempt: number) => void) {
  let attempts = 0;
  const docker = {
    listNetworks: async () => [{ Id: 'abc', Name: 'shop.default', Scope: 'swarm' }],
    listVolumes: async () => ({ Volumes: [] }),
    listContainers: async () => [],
    info: async () => ({ Swarm: { ControlAvailable: true } }),
    getNetwork: () => ({ remove: async () => removal(++attempts) }),
  } as unknown as Docker;
  return { docker, attempts: () => attempts };
}

test('an overlay still held by departed containers\' attachment tasks is removed once they go', async () => {
  const { docker, attempts } = manager((n) => {
    if (n < 3) throw inUse();
  });
  assert.deepEqual(await removeAppResourcesOn(docker, 'tcp://10.0.0.1:2375', 'shop'), ['network shop.default']);
  assert.equal(attempts(), 3);
});

test('any other refusal of the removal stands at once, named', async () => {
  const { docker, attempts } = manager(() => {
    throw refusal(403, 'network shop.default has active endpoints');
  });
  await assert.rejects(removeAppResourcesOn(docker, 'tcp://10.0.0.1:2375', 'shop'), (err: unknown) => {
    assert.ok(err instanceof DockerRequestError);
    assert.match(err.message, /remove network shop\.default failed \(HTTP 403\): network shop\.default has active endpoints/);
    return true;
  });
  assert.equal(attempts(), 1);
});
