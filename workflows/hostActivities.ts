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
export function probing(timeoutSeconds: number) {
  return proxyActivities<Activities>({ startToCloseTimeout: `${timeoutSeconds}s`, retry: { maximumAttempts: 1 } });
}
