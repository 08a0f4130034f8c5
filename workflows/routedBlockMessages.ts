// The infrastructure's Update and Query for routed networks' host blocks (driver: routed):
// a host is given a block of the network's subnet (the block it holds, asked again), and the
// blocks every host holds are answered with it, for the routes. Internal: sent by
// activities/network/routed.ts.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { HostBlocks } from '../domain/network/routedBlocks';

export interface HostBlocksRequest {
  /** The network's subnet (IPAM's id: its CIDR). */
  subnetId: string;
  /** The hosts that need a block now. */
  hosts: string[];
  /** Every host the infrastructure still has (any status): the blocks of the others go back. Absent: none go. */
  knownHosts?: string[];
}

export const hostBlocksUpdate = defineUpdate<HostBlocks, [HostBlocksRequest]>('routedHostBlocks');
/** The blocks of a subnet by host; {} for a subnet IPAM does not hold. */
export const hostBlocksQuery = defineQuery<HostBlocks, [string]>('routedHostBlocks');

export function hostBlocksRequestProblem(req: unknown): string | undefined {
  if (typeof req !== 'object' || req === null) return 'a host blocks request must be an object';
  const { subnetId, hosts } = req as Record<string, unknown>;
  if (typeof subnetId !== 'string' || subnetId.length === 0) return `subnetId must name a subnet, got ${JSON.stringify(subnetId)}`;
  const ids = (x: unknown) => Array.isArray(x) && x.every((h) => typeof h === 'string' && h.length > 0);
  if (!ids(hosts)) return `hosts must be host ids, got ${JSON.stringify(hosts)}`;
  const { knownHosts } = req as Record<string, unknown>;
  if (knownHosts !== undefined && !ids(knownHosts)) return `knownHosts must be host ids, got ${JSON.stringify(knownHosts)}`;
  return undefined;
}
