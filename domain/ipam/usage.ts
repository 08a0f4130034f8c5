// A summary for `clocker infra status`: each subnet with how full it is.
import { blockSize, mustParseCidr } from './addressMath';
import type { IpamState } from './model';

export interface SubnetUsage {
  id: string;
  owner: string;
  pool: string | null;
  gateway: string;
  /** Addresses held by members. */
  used: number;
  /** Addresses members can hold (reserved ones excluded); a string for IPv6 blocks past 2^53. */
  capacity: number | string;
}

export function ipamUsage(state: IpamState): SubnetUsage[] {
  return Object.values(state.subnets).map((s) => {
    const size = blockSize(s.family, mustParseCidr(s.cidr).prefixLength);
    const usable = size - (s.family === 4 ? 3n : 2n);
    return {
      id: s.id,
      owner: s.owner,
      pool: s.pool,
      gateway: s.gateway,
      used: Object.keys(s.addresses).length,
      capacity: usable <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(usable) : usable.toString(),
    };
  });
}
