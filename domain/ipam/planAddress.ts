// Decides what an address request means against the current state, without changing it:
// the owner's existing address (an idempotent retry), a static address, the next free one,
// or the reasons it cannot be. Shared by the Update validator and allocateAddress.
import { blockSize, formatAddress, lastOf, mustParseCidr, parseAddress } from './addressMath';
import type { IpamIssue, IpamState, SubnetState } from './model';
import { own } from './ownRecord';
import { checkOwner, isObject, show, unknownKeys } from './requestChecks';
import { GATEWAY_OFFSET } from './subnetSizes';

export type AddressPlan =
  | { kind: 'existing'; subnet: SubnetState; address: string; static: boolean }
  | { kind: 'static'; subnet: SubnetState; address: string }
  | { kind: 'dynamic'; subnet: SubnetState }
  | { kind: 'invalid'; issues: IpamIssue[] };

const KEYS = ['owner', 'address'];

export function planAddress(state: IpamState, subnetId: string, request: unknown): AddressPlan {
  const issues: IpamIssue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code: `ipam.${code}`, path, message });
  const subnet = own(state.subnets, subnetId);
  if (!subnet) add('unknownSubnet', 'subnet', `no subnet ${JSON.stringify(subnetId)} is allocated`);
  if (!isObject(request)) {
    add('notObject', '', `an address request must be an object, got ${show(request)}`);
    return { kind: 'invalid', issues };
  }
  unknownKeys(request, KEYS, add);
  checkOwner(request.owner, add);
  const wanted = request.address;
  if (wanted !== undefined && typeof wanted !== 'string') add('address', 'address', `must be an address string, got ${show(wanted)}`);
  if (issues.length > 0 || !subnet) return { kind: 'invalid', issues };

  const owner = request.owner as string;
  const parsed = wanted === undefined ? undefined : parseAddress(wanted as string);
  if (wanted !== undefined && !parsed) {
    add('address', 'address', `${JSON.stringify(wanted)} is not an IP address`);
    return { kind: 'invalid', issues };
  }
  const canonical = parsed && formatAddress(parsed.value, parsed.family);
  const held = own(subnet.owners, owner);
  if (held !== undefined) {
    if (canonical === undefined || canonical === held) return { kind: 'existing', subnet, address: held, static: own(subnet.addresses, held)?.static ?? false };
    add('ownerHasAddress', 'address', `${owner} already holds ${held} in ${subnet.cidr}; release it first`);
    return { kind: 'invalid', issues };
  }
  if (!parsed || canonical === undefined) return { kind: 'dynamic', subnet };

  const cidr = mustParseCidr(subnet.cidr);
  if (parsed.family !== subnet.family || parsed.value < cidr.base || parsed.value > lastOf(cidr)) {
    add('outsideSubnet', 'address', `${canonical} is not in subnet ${subnet.cidr}`);
  } else if (parsed.value === cidr.base) {
    add('reservedAddress', 'address', `${canonical} is the network address of ${subnet.cidr}`);
  } else if (parsed.value === cidr.base + BigInt(GATEWAY_OFFSET)) {
    add('reservedAddress', 'address', `${canonical} is the gateway of ${subnet.cidr}`);
  } else if (subnet.family === 4 && parsed.value === cidr.base + blockSize(4, cidr.prefixLength) - 1n) {
    add('reservedAddress', 'address', `${canonical} is the broadcast address of ${subnet.cidr}`);
  } else {
    const holder = own(subnet.addresses, canonical);
    if (holder) add('addressTaken', 'address', `${canonical} is held by ${holder.owner}`);
  }
  if (issues.length > 0) return { kind: 'invalid', issues };
  return { kind: 'static', subnet, address: canonical };
}
