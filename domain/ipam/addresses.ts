// Member addresses inside a subnet. Dynamic allocation walks a cursor through addresses
// never handed out before, then reuses released ones from a free list: each allocation is
// O(1) amortised however full the subnet is. Reusing released addresses last also keeps a
// just-freed address out of circulation for as long as possible (stale ARP/DNS entries).
//
// Like subnets.ts, these change the given state, and leave it untouched when they refuse.
import { formatAddress, mustParseCidr, parseAddress } from './addressMath';
import type { AddressRequest, IpamIssue, IpamResult, IpamState, SubnetState } from './model';
import { own } from './ownRecord';
import { planAddress } from './planAddress';

/** For an Update validator: the problems `allocateAddress` would report, without changing anything. */
export function validateAddressRequest(state: IpamState, subnetId: string, request: unknown): IpamIssue[] {
  const plan = planAddress(state, subnetId, request);
  return plan.kind === 'invalid' ? plan.issues : [];
}

/** Idempotent per owner: asking again returns the owner's address in this subnet. */
export function allocateAddress(state: IpamState, subnetId: string, request: AddressRequest): IpamResult<{ address: string; static: boolean }> {
  const plan = planAddress(state, subnetId, request);
  if (plan.kind === 'invalid') return { ok: false, issues: plan.issues };
  const { subnet } = plan;
  if (plan.kind === 'existing') return { ok: true, address: plan.address, static: plan.static };
  if (plan.kind === 'static') {
    hold(subnet, plan.address, request.owner, true);
    return { ok: true, address: plan.address, static: true };
  }
  const address = nextFree(subnet);
  if (address === undefined) {
    const used = Object.keys(subnet.addresses).length;
    return { ok: false, issues: [{ code: 'ipam.subnetExhausted', path: '', message: `subnet ${subnet.cidr} has no free address (${used} in use)` }] };
  }
  hold(subnet, address, request.owner, false);
  return { ok: true, address, static: false };
}

/** Frees an owner's address; unknown owners are not an error (idempotent). */
export function releaseAddress(state: IpamState, subnetId: string, owner: string): { released: string | undefined } {
  const subnet = own(state.subnets, subnetId);
  const address = subnet && own(subnet.owners, owner);
  if (!subnet || address === undefined) return { released: undefined };
  delete subnet.owners[owner];
  delete subnet.addresses[address];
  // Addresses at or past the cursor will be reached by it anyway (a static one, taken
  // ahead); only those behind it need the free list.
  if (offsetOf(subnet, address) < subnet.cursor) subnet.free.push(address);
  return { released: address };
}

function hold(subnet: SubnetState, address: string, owner: string, isStatic: boolean): void {
  subnet.addresses[address] = { owner, static: isStatic };
  subnet.owners[owner] = address;
}

function nextFree(subnet: SubnetState): string | undefined {
  const base = mustParseCidr(subnet.cidr).base;
  while (subnet.cursor <= subnet.lastOffset) {
    const address = formatAddress(base + BigInt(subnet.cursor), subnet.family);
    subnet.cursor++;
    // Skip addresses taken statically ahead of the cursor.
    if (own(subnet.addresses, address) === undefined) return address;
  }
  // The free list may hold an address taken statically after it was released: skip those.
  for (let address = subnet.free.pop(); address !== undefined; address = subnet.free.pop()) {
    if (own(subnet.addresses, address) === undefined) return address;
  }
  return undefined;
}

/** Offsets past what a number counts exactly are clamped: the cursor never gets there. */
function offsetOf(subnet: SubnetState, address: string): number {
  const parsed = parseAddress(address);
  if (!parsed) throw new Error(`corrupt IPAM state: ${address} is not an address`);
  const offset = parsed.value - mustParseCidr(subnet.cidr).base;
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
}
