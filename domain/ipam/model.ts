// IPAM state and messages. The state is plain JSON (objects, arrays, strings, numbers): it
// lives in the infrastructure workflow and travels through history and continueAsNew.
// Indexes that need Map/bigint are rebuilt in memory from it when needed.
import type { Family } from './addressMath';

export type { Family } from './addressMath';

export interface PoolConfig {
  /** Defaults to the CIDR text. */
  id?: string;
  cidr: string;
  /** Size of subnets carved from this pool when a request names none: /24 (IPv4), /64 (IPv6). */
  subnetPrefixLength?: number;
}

export interface PoolState {
  id: string;
  cidr: string;
  family: Family;
  subnetPrefixLength: number;
}

export interface AddressRecord {
  owner: string;
  /** Asked for by address (a static member address), rather than handed out. */
  static: boolean;
}

/** What callers get back about a subnet (no bookkeeping). */
export interface SubnetInfo {
  /** The subnet's CIDR in canonical form; unique because subnets never overlap. */
  id: string;
  cidr: string;
  family: Family;
  prefixLength: number;
  /** The pool it was carved from; null for a named CIDR outside every pool. */
  pool: string | null;
  /** Who holds it: an application network id. One subnet per owner. */
  owner: string;
  /** First usable address; reserved for the network's gateway. */
  gateway: string;
}

/** A subnet's books: what callers see (SubnetInfo) plus the allocation state. */
export interface SubnetState extends SubnetInfo {
  /** Offset from the network address of the next never-used address (dynamic allocation). */
  cursor: number;
  /** Highest offset the cursor may hand out (IPv4 broadcast excluded; huge IPv6 blocks capped). */
  lastOffset: number;
  /** Released addresses behind the cursor, reused once the cursor has run out. */
  free: string[];
  /** Address → holder. */
  addresses: Record<string, AddressRecord>;
  /** Holder → address: one address per owner per subnet, so retries get the same one. */
  owners: Record<string, string>;
  /** A shared network's subnet: the applications that joined it (sharedSubnets.ts); released when the last leaves. */
  members?: string[];
  /** A routed network's subnet: host id → the blocks it holds (domain/network/routedBlocks.ts); they go with the subnet. */
  blocks?: Record<string, string[]>;
}

export interface IpamState {
  version: 1;
  pools: PoolState[];
  subnets: Record<string, SubnetState>;
}

export interface SubnetRequest {
  owner: string;
  /** Carve a block of this size; defaults to the pool's subnetPrefixLength. */
  prefixLength?: number;
  /** A specific CIDR the blueprint names; checked against pools and existing subnets. */
  cidr?: string;
  /** Which family to carve from when no CIDR is named; default 4. */
  family?: Family;
  /** Which pool to carve from; default the first pool of the family. */
  pool?: string;
  /**
   * Subnets the hosts' engines already hold outside this IPAM (Docker's own bridge and
   * docker_gwbridge, other tools' networks, other Clocker installations'): never handed out,
   * and a named CIDR overlapping one is refused. Absent in requests made before it existed.
   */
  inUse?: SubnetInUse[];
}

export interface SubnetInUse {
  cidr: string;
  /** Who holds it, for messages: e.g. `network bridge on local`. */
  by: string;
}

export interface AddressRequest {
  owner: string;
  /** A static address; otherwise the next free one. */
  address?: string;
}


export interface IpamIssue {
  /** Stable machine-readable kind, e.g. `ipam.overlap`. */
  code: string;
  /** Field path in the request, e.g. `cidr`; '' for the request as a whole. */
  path: string;
  message: string;
}

export type IpamResult<T> = ({ ok: true } & T) | { ok: false; issues: IpamIssue[] };
