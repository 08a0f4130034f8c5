// Public face of IPAM: what the infrastructure workflow imports.
export type { AddressRecord, AddressRequest, Family, IpamIssue, IpamResult, IpamState, PoolConfig, PoolState, SubnetInfo, SubnetInUse, SubnetRequest, SubnetState } from './model';
export { createIpamState, DEFAULT_POOLS, resolvePools } from './pools';
export { allocateSubnet, findSubnetByOwner, releaseSubnet, subnetInfo, validateSubnetRequest } from './subnets';
export { allocateAddress, releaseAddress, validateAddressRequest } from './addresses';
export { joinSharedSubnet, leaveSharedSubnet, networkOwner, SHARED_NETWORK_OWNER, sharedSubnetOwner } from './sharedSubnets';
export type { JoinResult, LeaveResult } from './sharedSubnets';
export { formatIpamIssues } from './requestChecks';
export { ipamUsage } from './usage';
export type { SubnetUsage } from './usage';
