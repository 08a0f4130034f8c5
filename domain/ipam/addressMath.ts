// Addresses as integers: parse and print with ipaddr.js, do arithmetic with bigint (128-bit
// IPv6 does not fit a JS number). Bigints live only in memory here; state keeps strings.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** The first address of the block. */
  base: bigint;
  prefixLength: number;
}

export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

export function blockSize(family: Family, prefixLength: number): bigint {
  return 1n << BigInt(bitsOf(family) - prefixLength);
}

/** The last address of a block. */
export const lastOf = (cidr: Cidr): bigint => cidr.base + blockSize(cidr.family, cidr.prefixLength) - 1n;

/**
 * Strict parsing: IPv4 only in dotted four-part decimal (ipaddr.js alone would accept `10.1`
 * or octal forms), IPv6 without a zone index. Undefined when the text is not an address.
 */
export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { family: 4, value: fromBytes(ipaddr.IPv4.parse(text).toByteArray()) };
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return undefined;
  const parsed = ipaddr.IPv6.parse(text);
  if (parsed.zoneId !== undefined) return undefined;
  return { family: 6, value: fromBytes(parsed.toByteArray()) };
}

/** Parses `address/prefix`; a string explains what is wrong (the caller adds the path). */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const address = slash < 0 ? undefined : parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return `${JSON.stringify(text)} is not a CIDR (e.g. 10.128.0.0/24 or fd00::/64)`;
  const prefixLength = Number(prefixText);
  if (prefixLength > bitsOf(address.family)) return `${text} has a prefix longer than ${bitsOf(address.family)} bits`;
  const size = blockSize(address.family, prefixLength);
  const base = address.value - (address.value % size);
  if (base !== address.value) {
    return `${text} is not a network address (did you mean ${formatCidr({ family: address.family, base, prefixLength })}?)`;
  }
  return { family: address.family, base, prefixLength };
}

export function formatAddress(value: bigint, family: Family): string {
  if (family === 4) {
    // The hot path when handing out IPv4 addresses: plain arithmetic, no objects.
    const n = Number(value);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const bytes: number[] = new Array<number>(16);
  let rest = value;
  for (let i = 15; i >= 0; i--) {
    bytes[i] = Number(rest & 255n);
    rest >>= 8n;
  }
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

export const formatCidr = (cidr: Cidr): string => `${formatAddress(cidr.base, cidr.family)}/${cidr.prefixLength}`;

export const overlaps = (a: Cidr, b: Cidr): boolean => a.family === b.family && a.base <= lastOf(b) && b.base <= lastOf(a);

/** True when `inner` lies entirely within `outer`. */
export const contains = (outer: Cidr, inner: Cidr): boolean =>
  outer.family === inner.family && outer.base <= inner.base && lastOf(inner) <= lastOf(outer);

function fromBytes(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/**
 * Parses a CIDR already validated (e.g. read back from state). Memoised: every allocation
 * needs its subnet's base, and parsing text each time would dominate the cost. The cache is
 * in memory only and a pure function of its key, so replays are unaffected.
 */
const parsedCidrs = new Map<string, Cidr>();
export function mustParseCidr(text: string): Cidr {
  const cached = parsedCidrs.get(text);
  if (cached) return cached;
  const cidr = parseCidr(text);
  if (typeof cidr === 'string') throw new Error(`corrupt IPAM state: ${cidr}`);
  if (parsedCidrs.size >= 1024) parsedCidrs.clear();
  parsedCidrs.set(text, cidr);
  return cidr;
}
