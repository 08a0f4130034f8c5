// Timeouts and retry policies for activity calls, in one place. Error types listed here are
// failures a retry cannot fix; test/unit/errors.test.ts keeps this list in step with the
// error classes' `retryable` flag.
import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';

export const NON_RETRYABLE_ERRORS = [
  'RemoteCommandError',
  'SshAuthError',
  'HostKeyMismatchError',
  'DockerRequestError',
  'ImageNotFoundError',
  'ImageBuildError',
  'NameConflictError',
  'UnsupportedFeatureError',
  'HostPolicyRefusedError',
  'NotInSwarmError',
  'ContainerExitedError',
  'InfrastructureNotFoundError',
  'PlacementRejectedError',
  'HealthTimeoutError',
  'SecretNotFoundError',
  'SubnetRejectedError',
  'SubnetTakenError',
  'StaleNetworkError',
  'UnsupportedOsError',
  'CertificateError',
  'SshKeyNotFoundError',
  'MemberCommandError',
  'KernelFeatureMissingError',
];

const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 20,
  nonRetryableErrorTypes: NON_RETRYABLE_ERRORS,
};

// A cancelled call (a destroy interrupting an update) is waited for until the activity has
// really stopped: a container it was creating then exists, and the teardown finds it.
const cancellationType = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

/** Quick calls to the Docker API or to the infrastructure workflow. */
export const quick: ActivityOptions = { startToCloseTimeout: '15s', retry, cancellationType };

/** Calls that may take long (image pulls, health waits): they heartbeat, so a dead worker is noticed fast. */
export const heartbeating: ActivityOptions = {
  startToCloseTimeout: '10m',
  heartbeatTimeout: '10s',
  retry,
  cancellationType,
};

/** A `reload` hook in a member: bounded by its own timeout; a failing one is reported, not retried for long. */
export const memberCommand: ActivityOptions = {
  startToCloseTimeout: '2m',
  retry: { ...retry, maximumAttempts: 3 },
  cancellationType,
};

/**
 * The teardown's sweep of one host: a host that does not answer is reported, not waited on for
 * minutes. The sweep heartbeats, so a worker killed during a destroy costs seconds, not a minute.
 */
export const teardown: ActivityOptions = {
  startToCloseTimeout: '5m',
  heartbeatTimeout: '10s',
  retry: { ...retry, maximumAttempts: 4 },
  cancellationType,
};
