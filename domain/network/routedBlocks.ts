// Routed networks (`driver: routed`, Calico's model): each host holds blocks of the network's
// subnet, its members take addresses in its block, and every other host routes the block to it.
//
//   subnet 10.128.5.0/24 (IPAM, the application's)
//     h1 → 10.128.5.0/26     h2 → 10.128.5.64/26     h3 → 10.128.5.128/26
//   on h1: ip route replace 10.128.5.64/26 via <h2>; ip route replace 10.128.5.128/26 via <h3>
//
// The books are the subnet's own (`SubnetState.blocks`, in the infrastructure's IPAM): a host
// asked for again gets the block it holds, and releasing the subnet gives every block back.
// Blocks are /26 (64 addresses, as Calico's) in a subnet of /23 or larger; a smaller subnet is
// cut in at least eight (a /24 in /27s), and smaller blocks (down to /29) are carved once
// those are gone. A Docker bridge network holds one IPv4 subnet, so a host has one block.
import { contains, formatAddress, formatCidr, mustParseCidr, parseCidr, type Cidr } from '../ipam/addressMath';
import { findFreeBlock } from '../ipam/findFreeBlock';
import type { SubnetState } from '../ipam/model';

export const PREFERRED_BLOCK_PREFIX = 26;
export const SMALLEST_BLOCK_PREFIX = 29;

export type HostBlocks = Record<string, string[]>;

export type BlocksResult = { ok: true; blocks: HostBlocks } | { ok: false; problem: string };

/** At least this many blocks in a subnet, so a few hosts do not take all of it. */
export const MIN_BLOCKS = 8;

/**
 * The block sizes to try, largest first: /26, or smaller so the subnet has MIN_BLOCKS of them
 * (a /24 gives eight /27s); then smaller still when those are gone.
 */
export function blockPrefixes(subnetPrefix: number): number[] {
  const sizes: number[] = [];
  for (let p = Math.max(PREFERRED_BLOCK_PREFIX, subnetPrefix + Math.log2(MIN_BLOCKS)); p <= SMALLEST_BLOCK_PREFIX; p++) sizes.push(p);
  return sizes;
}

/**
 * Gives each host in `hosts` a block if it holds none; changes `subnet.blocks` only when every
 * host got one. Returns every host's blocks (the route table needs the others' too).
 */
export function carveHostBlocks(subnet: SubnetState, hosts: readonly string[]): BlocksResult {
  if (subnet.family !== 4) return { ok: false, problem: `routed network subnet ${subnet.cidr}: IPv4 only` };
  const whole = mustParseCidr(subnet.cidr);
  const blocks: HostBlocks = Object.fromEntries(Object.entries(subnet.blocks ?? {}).map(([h, b]) => [h, [...b]]));
  const taken = (): Cidr[] => Object.values(blocks).flat().map(mustParseCidr);
  for (const host of [...new Set(hosts)].sort()) {
    if ((blocks[host]?.length ?? 0) > 0) continue;
    const block = blockPrefixes(whole.prefixLength)
      .map((p) => findFreeBlock(whole, p, taken()))
      .find((b): b is Cidr => b !== undefined);
    if (!block) {
      const holders = Object.keys(blocks).length;
      return { ok: false, problem: `routed network subnet ${subnet.cidr} has no free block for host ${host} (${holders} hosts hold its blocks; the smallest is a /${SMALLEST_BLOCK_PREFIX}): give the network a larger cidr` };
    }
    blocks[host] = [formatCidr(block)];
  }
  subnet.blocks = blocks;
  return { ok: true, blocks };
}

/** Gives back the blocks of hosts that left the infrastructure; the subnet keeps the rest. */
export function releaseHostBlocks(subnet: SubnetState, hosts: readonly string[]): string[] {
  const released: string[] = [];
  for (const host of hosts) {
    released.push(...(subnet.blocks?.[host] ?? []));
    if (subnet.blocks) delete subnet.blocks[host];
  }
  return released;
}

/** A host of the route table: where its blocks are reached. */
export interface RoutedHost {
  id: string;
  /** The host's own IPv4 address, on the segment the hosts share. */
  address: string;
  blocks: string[];
}

export interface Route {
  block: string;
  via: string;
}

/** What `host` routes: every other host's blocks via that host's address (its own are on its bridge). */
export function routesFor(host: string, hosts: readonly RoutedHost[]): Route[] {
  return hosts
    .filter((h) => h.id !== host)
    .flatMap((h) => h.blocks.map((block) => ({ block, via: h.address })))
    .sort((a, b) => mustParseCidr(a.block).base < mustParseCidr(b.block).base ? -1 : 1);
}

/**
 * The routes of `subnet` a host has that are not wanted any more (a host that left or failed):
 * from `ip -o route show root <subnet> proto <ours>` output, whose first word is the block.
 */
export function staleRoutes(listing: string, subnet: string, wanted: readonly Route[]): string[] {
  const whole = parseCidr(subnet);
  const keep = new Set(wanted.map((r) => r.block));
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((block) => {
      const parsed = parseCidr(block);
      return typeof parsed !== 'string' && typeof whole !== 'string' && contains(whole, parsed) && !keep.has(block);
    });
}

/** The address a block's bridge takes: its first. */
export function blockGateway(block: string): string {
  const cidr = mustParseCidr(block);
  return formatAddress(cidr.base + 1n, cidr.family);
}
