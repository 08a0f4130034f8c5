// Decides what a subnet request means against the current state, without changing it: the
// owner's existing subnet (an idempotent retry), a new block, or the reasons it cannot be.
// The Update validator and allocateSubnet both use it, so they can never disagree.
import type { Cidr, Family } from './addressMath';
import { bitsOf, blockSize, contains, formatCidr, mustParseCidr, overlaps, parseAddress, parseCidr } from './addressMath';
import { findFreeBlock } from './findFreeBlock';
import type { IpamIssue, IpamState, PoolState, SubnetState } from './model';
import { checkOwner, isObject, show, unknownKeys } from './requestChecks';
import { MAX_PREFIX } from './subnetSizes';

export type SubnetPlan =
  | { kind: 'existing'; subnet: SubnetState }
  | { kind: 'new'; owner: string; cidr: Cidr; pool: string | null }
  | { kind: 'invalid'; issues: IpamIssue[] };

const KEYS = ['owner', 'prefixLength', 'cidr', 'family', 'pool', 'inUse'];

export function planSubnet(state: IpamState, request: unknown): SubnetPlan {
  const issues: IpamIssue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code: `ipam.${code}`, path, message });
  if (!isObject(request)) return { kind: 'invalid', issues: [{ code: 'ipam.notObject', path: '', message: `a subnet request must be an object, got ${show(request)}` }] };
  unknownKeys(request, KEYS, add);
  checkOwner(request.owner, add);
  const { prefixLength, family, pool: poolId } = request;
  if (prefixLength !== undefined && (typeof prefixLength !== 'number' || !Number.isInteger(prefixLength))) add('prefixLength', 'prefixLength', `must be a whole number, got ${show(prefixLength)}`);
  if (family !== undefined && family !== 4 && family !== 6) add('family', 'family', `must be 4 or 6, got ${show(family)}`);
  if (poolId !== undefined && typeof poolId !== 'string') add('pool', 'pool', `must be a pool id, got ${show(poolId)}`);
  const cidr = request.cidr === undefined ? undefined : typeof request.cidr === 'string' ? parseCidr(request.cidr) : `must be a CIDR string, got ${show(request.cidr)}`;
  if (typeof cidr === 'string') add('invalidCidr', 'cidr', cidr);
  const inUse = parseInUse(request.inUse, add);
  if (issues.length > 0) return { kind: 'invalid', issues };

  const owner = request.owner as string;
  const existing = Object.values(state.subnets).find((s) => s.owner === owner);
  if (existing) {
    const differs = (cidr !== undefined && formatCidr(cidr as Cidr) !== existing.cidr) || (prefixLength !== undefined && prefixLength !== existing.prefixLength);
    if (!differs) return { kind: 'existing', subnet: existing };
    add('ownerHasSubnet', '', `${owner} already holds subnet ${existing.cidr}; release it before asking for another`);
    return { kind: 'invalid', issues };
  }
  const held = Object.values(state.subnets).map((s) => ({ subnet: s, cidr: mustParseCidr(s.cidr) }));
  if (cidr !== undefined) return planNamed(state, owner, cidr as Cidr, request, held, inUse, add, issues);
  return planCarved(state, owner, request, held, inUse, add, issues);
}

type InUse = { by: string; cidr: Cidr }[];

/** An engine's subnet as written there: host bits (`10.0.0.1/24`) still mean the whole block. */
function parseHeldBlock(text: string): Cidr | undefined {
  const [address, prefix] = text.split('/');
  const parsed = address === undefined ? undefined : parseAddress(address);
  if (!parsed || prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > bitsOf(parsed.family)) return undefined;
  const size = blockSize(parsed.family, Number(prefix));
  return { family: parsed.family, base: parsed.value - (parsed.value % size), prefixLength: Number(prefix) };
}

/** The `inUse` list checked and parsed; absent means none (requests from before it existed). */
function parseInUse(value: unknown, add: Add): InUse {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    add('inUse', 'inUse', `must be a list of { cidr, by }, got ${show(value)}`);
    return [];
  }
  return value.flatMap((entry: unknown, i) => {
    const cidr = isObject(entry) && typeof entry.cidr === 'string' ? parseHeldBlock(entry.cidr) : undefined;
    if (!isObject(entry) || typeof entry.by !== 'string' || cidr === undefined) {
      add('inUse', `inUse[${i}]`, `must be { cidr: a CIDR, by: text }, got ${show(entry)}`);
      return [];
    }
    return [{ by: entry.by, cidr }];
  });
}

type Add = (code: string, path: string, message: string) => void;
type Held = { subnet: SubnetState; cidr: Cidr }[];
const describePool = (p: PoolState) => `pool ${p.id} (${p.cidr})`;

function planNamed(state: IpamState, owner: string, cidr: Cidr, request: Record<string, unknown>, held: Held, inUse: InUse, add: Add, issues: IpamIssue[]): SubnetPlan {
  const text = formatCidr(cidr);
  if (request.family !== undefined && request.family !== cidr.family) add('family', 'family', `is ${show(request.family)} but ${text} is IPv${cidr.family}`);
  if (request.prefixLength !== undefined && request.prefixLength !== cidr.prefixLength) add('prefixLength', 'prefixLength', `is ${show(request.prefixLength)} but ${text} is a /${cidr.prefixLength}`);
  if (cidr.prefixLength > MAX_PREFIX[cidr.family]) add('prefixLength', 'cidr', `${text} is too small: IPv${cidr.family} subnets go down to /${MAX_PREFIX[cidr.family]}`);
  const pools = state.pools.map((p) => ({ pool: p, cidr: mustParseCidr(p.cidr) }));
  const home = pools.find((p) => contains(p.cidr, cidr));
  if (request.pool !== undefined && home?.pool.id !== request.pool) add('pool', 'cidr', `${text} is not inside pool ${String(request.pool)}`);
  const straddled = home ? undefined : pools.find((p) => overlaps(p.cidr, cidr));
  if (straddled) add('overlap', 'cidr', `${text} overlaps ${describePool(straddled.pool)} without fitting inside it`);
  for (const h of held) if (overlaps(h.cidr, cidr)) add('overlap', 'cidr', `${text} overlaps ${h.subnet.cidr} held by ${h.subnet.owner}`);
  for (const u of inUse) if (overlaps(u.cidr, cidr)) add('overlap', 'cidr', `${text} overlaps ${formatCidr(u.cidr)}, in use by ${u.by}`);
  if (issues.length > 0) return { kind: 'invalid', issues };
  return { kind: 'new', owner, cidr, pool: home ? home.pool.id : null };
}

function planCarved(state: IpamState, owner: string, request: Record<string, unknown>, held: Held, inUse: InUse, add: Add, issues: IpamIssue[]): SubnetPlan {
  const family = (request.family ?? 4) as Family;
  const pool = request.pool !== undefined ? state.pools.find((p) => p.id === request.pool) : state.pools.find((p) => p.family === family);
  if (!pool) {
    const known = state.pools.map((p) => p.id).join(', ') || 'none';
    if (request.pool !== undefined) add('pool', 'pool', `no pool ${show(request.pool)} (pools: ${known})`);
    else add('pool', 'family', `no IPv${family} pool is configured (pools: ${known})`);
    return { kind: 'invalid', issues };
  }
  const poolCidr = mustParseCidr(pool.cidr);
  const length = (request.prefixLength ?? pool.subnetPrefixLength) as number;
  if (length < poolCidr.prefixLength || length > MAX_PREFIX[pool.family]) {
    add('prefixLength', 'prefixLength', `must be from ${poolCidr.prefixLength} to ${MAX_PREFIX[pool.family]} for ${describePool(pool)}, got ${length}`);
    return { kind: 'invalid', issues };
  }
  const inPool = held.filter((h) => overlaps(h.cidr, poolCidr)).map((h) => h.cidr);
  // Subnets the engines hold are skipped like held ones (the block after them is taken).
  const foreign = inUse.filter((u) => overlaps(u.cidr, poolCidr));
  const block = findFreeBlock(poolCidr, length, [...inPool, ...foreign.map((u) => u.cidr)]);
  if (!block) {
    const named = foreign.slice(0, 3).map((u) => `${formatCidr(u.cidr)} by ${u.by}`).join(', ');
    const also = foreign.length > 0 ? `, ${foreign.length} in use on the hosts: ${named}${foreign.length > 3 ? ', …' : ''}` : '';
    add('poolExhausted', '', `${describePool(pool)} has no free /${length} left (${inPool.length} subnets held${also})`);
    return { kind: 'invalid', issues };
  }
  return { kind: 'new', owner, cidr: block, pool: pool.id };
}
