// What `clocker infra status` shows: each host with capacity, measured usage and what is
// reserved on it; each subnet with how full it is and who holds which address. Built from
// the state on every query (the state itself keeps no totals that could drift).
import type { HeadroomSpec } from './headroom';
import type { HeadroomRecord } from './headroomBooks';
import { infraPolicy, type HostPolicy } from './hostPolicy';
import type { Family, PoolState, SubnetUsage } from '../ipam';
import { ipamUsage } from '../ipam';
import type { Reservation } from '../placement';
import type { Booking, DockerEndpoint, HostEntry, HostRecord, HostUsage, InfraState } from './model';

export interface HostStatusView {
  id: string;
  address: string;
  status: HostRecord['status'];
  labels: Record<string, string>;
  region?: string;
  zone?: string;
  /** `null` where the operator declared no capacity (reservations are not limited there). */
  capacity: { cpus: number | null; memoryBytes: number | null; maxContainers: number };
  usage: HostUsage;
  reserved: { containers: number; cpus: number; memoryBytes: number };
  reservations: Reservation[];
  problem?: string;
  dockerVersion?: string;
  /** How to reach its Docker engine (no key material: TLS files are named by path). */
  docker: DockerEndpoint;
}

/** A byon host kept for `resize`, not yet provisioned. */
export interface SpareView {
  id: string;
  address: string;
}

export interface AddressHolding {
  address: string;
  owner: string;
  static: boolean;
}

export interface SubnetStatusView extends SubnetUsage {
  cidr: string;
  family: Family;
  prefixLength: number;
  addresses: AddressHolding[];
  /** A routed network's subnet: the block each host holds (domain/network/routedBlocks.ts). */
  blocks?: Record<string, string[]>;
}

export interface InfraView {
  name: string;
  hosts: HostStatusView[];
  /** Every reservation as one flat list (app, service, member, host). */
  bookings: Booking[];
  pools: PoolState[];
  subnets: SubnetStatusView[];
  spares?: SpareView[];
  /** What blueprints may do to the hosts (the infra file's `policy:`, else the defaults). */
  policy: HostPolicy;
  /** Host headroom's setting, its latest evaluation and the decisions that acted; absent when not set. */
  headroom?: HeadroomView;
}

export interface HeadroomView extends HeadroomSpec {
  last?: HeadroomRecord;
  decisions: HeadroomRecord[];
}

function hostStatus({ record, usage, reservations }: HostEntry): HostStatusView {
  const reserved = { containers: reservations.length, cpus: 0, memoryBytes: 0 };
  for (const r of reservations) {
    reserved.cpus += r.cpus;
    reserved.memoryBytes += r.memoryBytes;
  }
  return {
    id: record.id,
    address: record.address,
    status: record.status,
    labels: record.labels,
    region: record.region,
    zone: record.zone,
    capacity: { cpus: record.cpus ?? null, memoryBytes: record.memoryBytes ?? null, maxContainers: record.maxContainers },
    usage,
    reserved,
    reservations,
    ...(record.problem === undefined ? {} : { problem: record.problem }),
    ...(record.dockerVersion === undefined ? {} : { dockerVersion: record.dockerVersion }),
    docker: record.docker,
  };
}

export function infraView(name: string, state: InfraState): InfraView {
  const usage = new Map(ipamUsage(state.ipam).map((u) => [u.id, u]));
  const subnets = Object.values(state.ipam.subnets).map((s): SubnetStatusView => ({
    ...(usage.get(s.id) as SubnetUsage),
    cidr: s.cidr,
    family: s.family,
    prefixLength: s.prefixLength,
    addresses: Object.entries(s.addresses).map(([address, held]) => ({ address, owner: held.owner, static: held.static })),
    ...(s.blocks && Object.keys(s.blocks).length > 0 ? { blocks: s.blocks } : {}),
  }));
  return {
    name,
    hosts: state.hosts.map(hostStatus),
    bookings: state.hosts.flatMap((h) => h.reservations.map((r) => ({ app: r.app, service: r.service, member: r.member, hostId: h.record.id }))),
    pools: state.ipam.pools,
    subnets,
    policy: infraPolicy(state),
    ...(state.machines ? { spares: state.machines.filter((m) => m.role === 'spare').map((m) => ({ id: m.host.id, address: m.host.address })) } : {}),
    ...(state.provisioning?.headroom ? { headroom: { ...state.provisioning.headroom, ...(state.headroom?.last && { last: state.headroom.last }), decisions: state.headroom?.decisions ?? [] } } : {}),
  };
}
