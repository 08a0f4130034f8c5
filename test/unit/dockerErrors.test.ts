// What dockerode throws, named for Temporal: retried (the engine or a call inside it will come
// back) or not (a refusal the same request meets again).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerError } from '../../activities/docker/dockerErrors';
import { DockerBusyError, DockerRequestError, DockerUnavailableError } from '../../activities/errors';

/** In the shape dockerode rejects with: the HTTP status and the engine's JSON body. */
function engineAnswer(statusCode: number, message: string): object {
  return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message}`), { statusCode, json: { message } });
}

test('a 500 for a timeout or a dropped call inside the engine is retried, with the operation and the engine\'s words', () => {
  const seen = [
    'failed to create shim task: context deadline exceeded',
    'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: connection refused"',
    'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    'Get "https://registry.test/v2/": dial tcp 10.0.0.9:443: i/o timeout',
    'read unix @->/run/docker/libnetwork/abc.sock: read: connection reset by peer',
  ];
  for (const message of seen) {
    const err = dockerError('unix:///var/run/docker.sock', 'start container a.web.1', engineAnswer(500, message));
    assert.ok(err instanceof DockerBusyError, message);
    assert.equal(err.retryable, true);
    assert.match(err.message, /^Docker at unix:\/\/\/var\/run\/docker\.sock: start container a\.web\.1 timed out inside the engine \(HTTP 500\), retried: /);
    assert.ok(err.message.endsWith(message));
  }
  assert.ok(dockerError('h1', 'pull', engineAnswer(504, 'Get "https://registry.test/v2/": context deadline exceeded')) instanceof DockerBusyError);
});

test('a 500 that is a refusal stays not retried: the same request meets it again', () => {
  for (const message of [
    'driver failed programming external connectivity on endpoint a.web.1: Bind for 0.0.0.0:8080 failed: port is already allocated',
    'invalid mount config for type "bind": bind source path does not exist: /srv/data',
    'failed to create task for container: failed to create shim task: OCI runtime create failed: exec: "nosuch": executable file not found in $PATH: unknown',
  ]) {
    const err = dockerError('h1', 'start container a.web.1', engineAnswer(500, message));
    assert.ok(err instanceof DockerRequestError, message);
    assert.equal(err.retryable, false);
  }
  // A 4xx or a 501 carrying the same words is still the engine's answer to this request, not a timeout.
  assert.ok(dockerError('h1', 'create', engineAnswer(400, 'context deadline exceeded')) instanceof DockerRequestError);
  assert.ok(dockerError('h1', 'create', engineAnswer(501, 'context deadline exceeded')) instanceof DockerRequestError);
});

test('an engine that does not answer, or answers 503, is unavailable (retried)', () => {
  assert.ok(dockerError('h1', 'info', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) instanceof DockerUnavailableError);
  assert.ok(dockerError('h1', 'swarm init', engineAnswer(503, 'This node is not a swarm manager.')) instanceof DockerUnavailableError);
});
