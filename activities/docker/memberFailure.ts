// A member's failure inside a batch (startMembers), as data: the batch answers for each member
// instead of failing whole, so the failure Temporal would have recorded for a member's own
// activity (its type, its message, whether a retry may mend it) is carried in the answer.
import { ApplicationFailure } from '@temporalio/common';
import { ClockerError } from '../errors';

export interface MemberFailure {
  /** The error class's name: the ApplicationFailure type a one-member activity would have failed with. */
  type: string;
  message: string;
  /** Whether trying again can succeed (a ClockerError's own flag; an unknown error may). */
  retryable: boolean;
}

export function failureOutcome(err: unknown): MemberFailure {
  if (err instanceof ApplicationFailure) return { type: err.type ?? 'Error', message: err.message, retryable: !err.nonRetryable };
  if (err instanceof ClockerError) return { type: err.name, message: err.message, retryable: err.retryable };
  if (err instanceof Error) return { type: err.name, message: err.message, retryable: true };
  return { type: 'Error', message: String(err), retryable: true };
}
