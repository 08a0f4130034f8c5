// Address pools: where subnets come from. The default is a private IPv4 block that stays
// clear of Docker's own 172.17.0.0/16 and most home/office 192.168 and 10.0 networks, and an
// IPv6 unique-local block. Operators should pick their own ULA global id (RFC 4193 says:
// random), which is why pools are configurable.
import type { Family } from './addressMath';
import { formatCidr, overlaps, parseCidr } from './addressMath';
import type { IpamIssue, IpamResult, IpamState, PoolConfig, PoolState } from './model';
import { DEFAULT_SUBNET_PREFIX, MAX_PREFIX } from './subnetSizes';

export const DEFAULT_POOLS: readonly PoolConfig[] = [
  { id: 'ipv4-default', cidr: '10.128.0.0/9', subnetPrefixLength: 24 },
  { id: 'ipv6-default', cidr: 'fd7c:10c6:4e00::/48', subnetPrefixLength: 64 },
];

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Checks pool configuration and resolves defaults; issues when anything is wrong. */
export function resolvePools(pools: unknown): IpamResult<{ pools: PoolState[] }> {
  const issues: IpamIssue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code: `ipam.${code}`, path, message });
  if (!Array.isArray(pools) || pools.length === 0) {
    add('pools', 'pools', `must be a non-empty list of pools, got ${show(pools)}`);
    return { ok: false, issues };
  }
  const resolved: (PoolState & { parsed: ReturnType<typeof parseCidr> })[] = [];
  pools.forEach((pool: unknown, i) => {
    const path = `pools[${i}]`;
    const config = (typeof pool === 'object' && pool !== null ? pool : {}) as Record<string, unknown>;
    const cidr = typeof config.cidr === 'string' ? parseCidr(config.cidr) : `must be a CIDR string, got ${show(config.cidr)}`;
    if (typeof cidr === 'string') return add('invalidCidr', `${path}.cidr`, cidr);
    const family: Family = cidr.family;
    const id = config.id === undefined ? formatCidr(cidr) : config.id;
    if (typeof id !== 'string' || id === '') return add('poolId', `${path}.id`, `must be a non-empty string, got ${show(id)}`);
    if (resolved.some((p) => p.id === id)) return add('poolId', `${path}.id`, `repeats pool id ${id}`);
    const length = config.subnetPrefixLength ?? Math.max(DEFAULT_SUBNET_PREFIX[family], cidr.prefixLength);
    if (typeof length !== 'number' || !Number.isInteger(length) || length < cidr.prefixLength || length > MAX_PREFIX[family]) {
      return add('prefixLength', `${path}.subnetPrefixLength`, `must be a whole number from ${cidr.prefixLength} to ${MAX_PREFIX[family]}, got ${show(length)}`);
    }
    const clash = resolved.find((p) => typeof p.parsed !== 'string' && overlaps(p.parsed, cidr));
    if (clash) return add('overlap', `${path}.cidr`, `${formatCidr(cidr)} overlaps pool ${clash.id} (${clash.cidr})`);
    resolved.push({ id, cidr: formatCidr(cidr), family, subnetPrefixLength: length, parsed: cidr });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, pools: resolved.map(({ parsed: _parsed, ...pool }) => pool) };
}

/** A fresh state over the given pools (default: DEFAULT_POOLS). */
export function createIpamState(pools: readonly PoolConfig[] = DEFAULT_POOLS): IpamResult<{ state: IpamState }> {
  const resolved = resolvePools(pools);
  if (!resolved.ok) return resolved;
  return { ok: true, state: { version: 1, pools: resolved.pools, subnets: {} } };
}
