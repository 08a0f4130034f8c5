// The host workflow's activity proxies and their options. Provisioning steps heartbeat, so a
// killed worker is noticed in seconds and the step reruns (every step is idempotent); a probe
// is tried once: the workflow counts consecutive failures itself.
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERRORS } from './activityOptions';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS };

const step: ActivityOptions = { startToCloseTimeout: '15m', heartbeatTimeout: '15s', retry };
/** dockerd takes a moment to answer after a start; keep asking for about a minute. */
const verify: ActivityOptions = { startToCloseTimeout: '20s', retry: { ...retry, initialInterval: '500ms', maximumInterval: '5s', maximumAttempts: 20 } };

export const provisioning = proxyActivities<Activities>(step);
export const verifying = proxyActivities<Activities>(verify);
/**
 * The liveness check: its timeout is the activity's own, independent of the interval; a worker
 * too busy to run it in time retries it, and only the engine's answer counts against the host.
 */
export const checking = proxyActivities<Activities>({ startToCloseTimeout: '20s', retry: { ...retry, maximumAttempts: 3 } });
/** Usage is measured now and then, beside liveness; its failure says nothing about the host. */
export const measuring = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 1 } });
/** How long the engine has to answer a liveness check. */
export const LIVENESS_TIMEOUT_MS = 5_000;
/** Measure usage on every n-th check. */
export const USAGE_EVERY = 5;

/** COMPAT(remove in 0.3.0): host workflows started before host-probe-liveness. */
export function probing(timeoutSeconds: number) {
  return proxyActivities<Activities>({ startToCloseTimeout: `${timeoutSeconds}s`, retry: { maximumAttempts: 1 } });
}
