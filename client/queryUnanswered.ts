import { ServiceError } from '@temporalio/client';
import { GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED } from './fastpath/grpcUnary';

/**
 * A query no worker answered, worth asking again: the server gave up waiting (DEADLINE_EXCEEDED),
 * or cut the query short when the worker holding the workflow's sticky queue died under it
 * (CANCELLED, "context canceled"). Either way the next poll reaches a worker that is alive.
 */
export function queryUnanswered(err: unknown): boolean {
  if (!(err instanceof ServiceError) || !(err.cause instanceof Error) || !('code' in err.cause)) return false;
  const code = err.cause.code;
  return code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED;
}
