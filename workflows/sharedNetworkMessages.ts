// The infrastructure's Updates for shared networks (`shared: true`): an application joins one
// (its subnet allocated for the first) and leaves it (the subnet released after the last).
// Internal: the application workflow sends them through activities/network/sharedNetworks.ts.
import { defineUpdate } from '@temporalio/workflow';
import type { JoinResult, LeaveResult, SubnetInUse } from '../domain/ipam';

export interface JoinSharedNetworkRequest {
  network: string;
  app: string;
  cidr?: string;
  /** Subnets the hosts' engines hold outside IPAM (as allocateSubnet's `inUse`). */
  inUse?: SubnetInUse[];
}

export interface LeaveSharedNetworkRequest {
  network: string;
  app: string;
}

export const joinSharedNetworkUpdate = defineUpdate<JoinResult, [JoinSharedNetworkRequest]>('joinSharedNetwork');
export const leaveSharedNetworkUpdate = defineUpdate<LeaveResult, [LeaveSharedNetworkRequest]>('leaveSharedNetwork');

/** For the join's validator: the request's own shape (IPAM checks the subnet part). */
export function sharedNetworkRequestProblem(req: unknown): string | undefined {
  if (typeof req !== 'object' || req === null) return 'a shared network request must be an object';
  const { network, app } = req as Record<string, unknown>;
  if (typeof network !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) return `network must be a network id, got ${JSON.stringify(network)}`;
  if (typeof app !== 'string' || app.length === 0) return `app must name the application, got ${JSON.stringify(app)}`;
  return undefined;
}
