// Which subnet sizes make sense. An IPv4 subnet loses its network, gateway and broadcast
// addresses, an IPv6 one its subnet-router anycast and gateway, so the smallest useful
// blocks are /30 and /126 (room for at least one member).
import type { Family } from './addressMath';

export const MAX_PREFIX: Readonly<Record<Family, number>> = { 4: 30, 6: 126 };
export const DEFAULT_SUBNET_PREFIX: Readonly<Record<Family, number>> = { 4: 24, 6: 64 };

/** Offsets from the network address: 0 is the network itself, 1 the gateway. */
export const GATEWAY_OFFSET = 1;
export const FIRST_MEMBER_OFFSET = 2;

/** The highest offset a member may get: IPv4 keeps its broadcast; a huge IPv6 block is capped to what a JS number counts exactly. */
export function lastMemberOffset(family: Family, prefixLength: number): number {
  const size = 2 ** ((family === 4 ? 32 : 128) - prefixLength);
  const last = family === 4 ? size - 2 : size - 1;
  return Math.min(last, Number.MAX_SAFE_INTEGER);
}
