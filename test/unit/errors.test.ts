import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allErrorClasses, ContainerExitedError, RemoteCommandError } from '../../activities/errors';
import { NON_RETRYABLE_ERRORS } from '../../workflows/activityOptions';

test('the workflows list exactly the error classes that say they are not retryable', () => {
  const fromClasses = allErrorClasses
    // `retryable` is an instance field: build a real instance with dummy arguments.
    .filter((C) => !(Reflect.construct(C, ['x', ['y'], 1, 'w']) as { retryable: boolean }).retryable)
    .map((C) => C.name)
    .sort();
  assert.deepEqual([...NON_RETRYABLE_ERRORS].sort(), fromClasses);
});

test('an error class name is its Temporal failure type', () => {
  const err = new RemoteCommandError('root@h1:22', ['docker', 'info'], 1, 'Cannot connect');
  assert.equal(err.name, 'RemoteCommandError');
  assert.equal(err.message, 'on root@h1:22: `docker info` exited 1: Cannot connect');
  assert.equal(err.retryable, false);
});

test('an exited container carries its log tail in the message', () => {
  const err = new ContainerExitedError('a.web.1', 3, 'boom');
  assert.equal(err.message, 'container a.web.1 exited with code 3 before it was healthy; last output:\nboom');
});
