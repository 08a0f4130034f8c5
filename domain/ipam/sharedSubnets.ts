// Shared networks' books: one subnet per shared network (owner `clocker-shared/<network>`),
// and on it the applications that joined. Joining allocates the subnet for the first one;
// leaving releases it when the last one goes, in the same step, so two applications can never
// both think they were last (the infrastructure workflow runs these one Update at a time).
import type { IpamIssue, IpamResult, IpamState, SubnetInfo, SubnetRequest } from './model';
import { allocateSubnet, releaseSubnet } from './subnets';

export interface JoinResult {
  subnet: SubnetInfo;
  members: string[];
}

export interface LeaveResult {
  /** The applications still on it. */
  members: string[];
  /** Set when this leave emptied it: the subnet went back to the pools. */
  released?: SubnetInfo;
}

/** Idempotent per member: joining again returns the same subnet. A request naming a CIDR other than the one held is refused. */
export function joinSharedSubnet(state: IpamState, request: SubnetRequest & { member: string }): IpamResult<JoinResult> {
  const { member, ...subnetRequest } = request;
  if (typeof member !== 'string' || member.length === 0) return { ok: false, issues: [issue('member', 'member', 'names the application joining')] };
  const result = allocateSubnet(state, subnetRequest);
  if (!result.ok) return result;
  const subnet = state.subnets[result.subnet.id]!;
  subnet.members = [...new Set([...(subnet.members ?? []), member])].sort();
  return { ok: true, subnet: result.subnet, members: subnet.members };
}

/** Idempotent: a member that is not on it (or a subnet already gone) changes nothing. */
export function leaveSharedSubnet(state: IpamState, owner: string, member: string): LeaveResult {
  const subnet = Object.values(state.subnets).find((s) => s.owner === owner);
  if (!subnet) return { members: [] };
  subnet.members = (subnet.members ?? []).filter((m) => m !== member);
  if (subnet.members.length > 0) return { members: subnet.members };
  return { members: [], released: releaseSubnet(state, subnet.id).released };
}

function issue(code: string, path: string, message: string): IpamIssue {
  return { code: `ipam.${code}`, path, message };
}

/** Shared networks belong to the infrastructure: on the hosts they are this pseudo-application's networks. */
export const SHARED_NETWORK_OWNER = 'clocker-shared';

/** The IPAM owner of a shared network's subnet. */
export function sharedSubnetOwner(network: string): string {
  return `${SHARED_NETWORK_OWNER}/${network}`;
}

/** Whose network it is on the hosts (its Docker name and labels): the application's, or the infrastructure's when shared. */
export function networkOwner(app: string, network: { shared: boolean }): string {
  return network.shared ? SHARED_NETWORK_OWNER : app;
}
