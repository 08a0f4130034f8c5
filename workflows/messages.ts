// Message definitions shared by the workflows and every client (CLI, tests, plain
// `temporal workflow signal/update/query` with the same names and JSON).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AppView, ServiceView } from '../domain/application/status';
import type { Assignment } from '../domain/infra/model';
import type { InfraView } from '../domain/infra/statusView';
import type { SubnetInfo, SubnetRequest } from '../domain/ipam';
import type { PlacementConstraints, RankerName } from '../domain/placement';

// --- infrastructure ---------------------------------------------------------------
/** Place members of one service: one decision over the batch, all or nothing. */
export interface PlaceRequest {
  app: string;
  service: string;
  members: string[];
  /** Reserved per member on the chosen host. */
  resources?: { cpus?: number; memoryBytes?: number };
  constraints?: PlacementConstraints;
  /** Rankers in priority order, later ones break ties; default breadth-first, fewest-containers. */
  strategy?: RankerName[];
}
/** `reason` is the scheduler's explanation, e.g. `… 3 hosts: 2 over maxContainers=10, 1 missing label region=eu`. */
export type PlaceResult = { ok: true; assignments: Assignment[] } | { ok: false; reason: string };
export interface ReleaseRequest {
  app: string;
  service: string;
  /** Absent: every member of the service. */
  members?: string[];
}
/** `{ owner, prefixLength?, cidr?, family?, pool? }`: a CIDR named by the blueprint, or a block carved from a pool. */
export type AllocateSubnetRequest = SubnetRequest;
/** Exactly one of the two. */
export interface ReleaseSubnetRequest {
  subnetId?: string;
  owner?: string;
}
export interface ReleaseSubnetResult {
  released: SubnetInfo | null;
  /** Addresses that were still held in it. */
  addresses: number;
}
export interface AllocateAddressRequest {
  subnetId: string;
  owner: string;
  /** A static address; otherwise the next free one. */
  address?: string;
}
export interface AddressAllocation {
  subnetId: string;
  address: string;
  static: boolean;
}
export interface ReleaseAddressRequest {
  subnetId: string;
  owner: string;
}
export interface ReleaseAddressResult {
  released: string | null;
}
export type { InfraView, HostStatusView, SubnetStatusView, AddressHolding } from '../domain/infra/statusView';
export type { SubnetInfo } from '../domain/ipam';

export const placeContainersUpdate = defineUpdate<PlaceResult, [PlaceRequest]>('placeContainers');
/** Answers how many members were released. */
export const releaseContainersUpdate = defineUpdate<number, [ReleaseRequest]>('releaseContainers');
export const allocateSubnetUpdate = defineUpdate<SubnetInfo, [AllocateSubnetRequest]>('allocateSubnet');
export const releaseSubnetUpdate = defineUpdate<ReleaseSubnetResult, [ReleaseSubnetRequest]>('releaseSubnet');
export const allocateAddressUpdate = defineUpdate<AddressAllocation, [AllocateAddressRequest]>('allocateAddress');
export const releaseAddressUpdate = defineUpdate<ReleaseAddressResult, [ReleaseAddressRequest]>('releaseAddress');
export const infraStatusQuery = defineQuery<InfraView>('status');

// --- application --------------------------------------------------------------------
export const appStatusQuery = defineQuery<AppView>('status');
/** Tear the application down: containers removed, placements released, then the workflow ends. */
export const destroySignal = defineSignal('destroy');
/** A service child tells its application what it looks like now. */
export const serviceReportSignal = defineSignal<[ServiceView]>('serviceReport');

// --- service ------------------------------------------------------------------------
export const serviceStatusQuery = defineQuery<ServiceView>('status');
