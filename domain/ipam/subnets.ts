// Subnets for application networks: carve from a pool or take a named CIDR, release on
// destroy (the block is free for the next request at once).
//
// These functions change the state they are given (the workflow owns it) and leave it
// untouched when they refuse. Copying the state per call would make each allocation cost
// as much as the whole address book.
import { formatAddress, formatCidr } from './addressMath';
import type { IpamIssue, IpamResult, IpamState, SubnetInfo, SubnetRequest, SubnetState } from './model';
import { own } from './ownRecord';
import { planSubnet } from './planSubnet';
import { FIRST_MEMBER_OFFSET, GATEWAY_OFFSET, lastMemberOffset } from './subnetSizes';

export function subnetInfo(s: SubnetState): SubnetInfo {
  return { id: s.id, cidr: s.cidr, family: s.family, prefixLength: s.prefixLength, pool: s.pool, owner: s.owner, gateway: s.gateway };
}

/** For an Update validator: the problems `allocateSubnet` would report, without changing anything. */
export function validateSubnetRequest(state: IpamState, request: unknown): IpamIssue[] {
  const plan = planSubnet(state, request);
  return plan.kind === 'invalid' ? plan.issues : [];
}

/** Idempotent per owner: asking again returns the owner's subnet. */
export function allocateSubnet(state: IpamState, request: SubnetRequest): IpamResult<{ subnet: SubnetInfo }> {
  const plan = planSubnet(state, request);
  if (plan.kind === 'invalid') return { ok: false, issues: plan.issues };
  if (plan.kind === 'existing') return { ok: true, subnet: subnetInfo(plan.subnet) };
  const { cidr } = plan;
  const id = formatCidr(cidr);
  const subnet: SubnetState = {
    id,
    cidr: id,
    family: cidr.family,
    prefixLength: cidr.prefixLength,
    pool: plan.pool,
    owner: plan.owner,
    gateway: formatAddress(cidr.base + BigInt(GATEWAY_OFFSET), cidr.family),
    cursor: FIRST_MEMBER_OFFSET,
    lastOffset: lastMemberOffset(cidr.family, cidr.prefixLength),
    free: [],
    addresses: {},
    owners: {},
  };
  state.subnets[id] = subnet;
  return { ok: true, subnet: subnetInfo(subnet) };
}

/** Drops the subnet and every address in it. Releasing an unknown subnet is not an error (idempotent). */
export function releaseSubnet(state: IpamState, subnetId: string): { released: SubnetInfo | undefined; addresses: number } {
  const subnet = own(state.subnets, subnetId);
  if (!subnet) return { released: undefined, addresses: 0 };
  delete state.subnets[subnetId];
  return { released: subnetInfo(subnet), addresses: Object.keys(subnet.addresses).length };
}

export function findSubnetByOwner(state: IpamState, owner: string): SubnetInfo | undefined {
  const subnet = Object.values(state.subnets).find((s) => s.owner === owner);
  return subnet && subnetInfo(subnet);
}
