// The infrastructure workflow's state and its rules, as a plain class over plain JSON
// (InfraState): the workflow wires messages to these methods and carries `data` across
// continueAsNew. Pure: no Temporal calls here, so unit tests drive it directly.
import { hostView } from '../domain/infra/hostView';
import type { Assignment, HostRecord, InfraState } from '../domain/infra/model';
import { infraView, type InfraView } from '../domain/infra/statusView';
import { allocateAddress, allocateSubnet, findSubnetByOwner, formatIpamIssues, releaseAddress, releaseSubnet, type IpamIssue, type SubnetInfo } from '../domain/ipam';
import { placeBatch, release } from '../domain/placement';
import type {
  AddressAllocation,
  AllocateAddressesRequest,
  AllocateAddressesResult,
  AllocateAddressRequest,
  AllocateSubnetRequest,
  PlaceRequest,
  PlaceResult,
  ReleaseAddressesRequest,
  ReleaseAddressesResult,
  ReleaseAddressRequest,
  ReleaseAddressResult,
  ReleaseRequest,
  ReleaseSubnetRequest,
  ReleaseSubnetResult,
} from './messages';

/** IPAM refusals that got past the validator (the state changed in between): the update fails with these. */
export type Refusable<T> = { ok: true; value: T } | { ok: false; issues: IpamIssue[] };

export class InfrastructureState {
  constructor(
    readonly name: string,
    /** Plain JSON; changed in place by the methods below, handed to continueAsNew as is. */
    readonly data: InfraState,
  ) {}

  /**
   * One decision over the whole batch. Committed only when every member found a host, so a
   * refused batch leaves no partial bookings; members already placed keep their host.
   */
  place(req: PlaceRequest, seed: string): PlaceResult {
    const result = placeBatch(this.data.hosts.map(hostView), req, seed);
    if (!result.ok) return { ok: false, reason: result.explanation.summary };
    // placeBatch returns new arrays only for hosts that gained members, in input order.
    result.hosts.forEach((view, i) => {
      const entry = this.data.hosts[i];
      if (entry && view.reservations !== entry.reservations) entry.reservations = view.reservations;
    });
    const records = new Map(this.data.hosts.map((h) => [h.record.id, h.record]));
    return { ok: true, assignments: result.assignments.map((a) => assignment(a.member, records.get(a.hostId))) };
  }

  /** How many members were released; unknown members are ignored (a retry releases nothing more). */
  release(req: ReleaseRequest): number {
    const result = release(this.data.hosts.map(hostView), req.app, req.service, req.members);
    result.hosts.forEach((view, i) => {
      const entry = this.data.hosts[i];
      if (entry) entry.reservations = view.reservations;
    });
    return result.released.length;
  }

  allocateSubnet(req: AllocateSubnetRequest): Refusable<SubnetInfo> {
    const result = allocateSubnet(this.data.ipam, req);
    return result.ok ? { ok: true, value: result.subnet } : result;
  }

  releaseSubnet(req: ReleaseSubnetRequest): ReleaseSubnetResult {
    const id = req.subnetId ?? (req.owner === undefined ? undefined : findSubnetByOwner(this.data.ipam, req.owner)?.id);
    if (id === undefined) return { released: null, addresses: 0 };
    const result = releaseSubnet(this.data.ipam, id);
    return { released: result.released ?? null, addresses: result.addresses };
  }

  allocateAddress(req: AllocateAddressRequest): Refusable<AddressAllocation> {
    const { subnetId, ...request } = req;
    const result = allocateAddress(this.data.ipam, subnetId, request);
    return result.ok ? { ok: true, value: { subnetId, address: result.address, static: result.static } } : result;
  }

  /** Every owner's requests in order; an owner's first refusal ends its own, not the others'. */
  allocateAddresses(req: AllocateAddressesRequest): AllocateAddressesResult {
    return {
      owners: req.owners.map(({ owner, requests }) => {
        const allocations: AddressAllocation[] = [];
        for (const [i, r] of requests.entries()) {
          const outcome = this.allocateAddress({ subnetId: r.subnetId, owner, ...(r.address === undefined ? {} : { address: r.address }) });
          if (!outcome.ok) return { owner, refusedAt: i, reason: formatIpamIssues(outcome.issues).replace(/\n/g, '; ') };
          allocations.push(outcome.value);
        }
        return { owner, allocations };
      }),
    };
  }

  releaseAddress(req: ReleaseAddressRequest): ReleaseAddressResult {
    return { released: releaseAddress(this.data.ipam, req.subnetId, req.owner).released ?? null };
  }

  releaseAddresses(req: ReleaseAddressesRequest): ReleaseAddressesResult {
    return { released: req.releases.map((r) => this.releaseAddress(r).released) };
  }

  view(): InfraView {
    return infraView(this.name, this.data);
  }
}

function assignment(member: string, host: HostRecord | undefined): Assignment {
  // placeBatch only names hosts it was given, so a miss is a bug, not a user error.
  if (!host) throw new Error(`placement chose a host the infrastructure does not have (member ${member})`);
  return { member, host: { id: host.id, address: host.address, docker: host.docker } };
}
