// Message definitions shared by the workflows and every client (CLI, tests, plain
// `temporal workflow signal/update/query` with the same names and JSON).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { HostPolicy } from '../domain/infra/hostPolicy';
import type { AppView, MappedPort, ServiceView } from '../domain/application/status';
import type { Blueprint, HealthCheck } from '../domain/blueprint/model';
import type { AdmissionAnswer } from '../domain/application/preflightProblems';
import type { MemberFailureKind } from '../domain/application/memberRecovery';
import type { ServiceVersion } from './serviceMembers';
import type { ByonHost } from '../domain/infra/machines';
import type { Assignment, DockerEndpoint, HostUsage } from '../domain/infra/model';
import type { InfraView } from '../domain/infra/statusView';
import type { HostAddressChange } from '../domain/infra/hostAddress';
import type { SubnetInfo, SubnetRequest } from '../domain/ipam';
import type { PlacementRequest } from '../domain/placement';

// --- infrastructure ---------------------------------------------------------------
/** Place members of one service: one decision over the batch, all or nothing. */
export type PlaceRequest = PlacementRequest;
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
/**
 * Many owners' addresses in one Update: the members one placement gives a service (one Update
 * instead of one per member and network). Each owner's requests are taken in order; the first one
 * IPAM refuses ends that owner's, and what it got before stays held (as one Update per address
 * leaves it; the owner's release gives it back).
 */
export interface AllocateAddressesRequest {
  owners: { owner: string; requests: Omit<AllocateAddressRequest, 'owner'>[] }[];
}
/** Per owner, in the request's order: its allocations, one per request, or the request IPAM refused and why. */
export type OwnerAddresses = { owner: string; allocations: AddressAllocation[] } | { owner: string; refusedAt: number; reason: string };
export interface AllocateAddressesResult {
  owners: OwnerAddresses[];
}
export interface ReleaseAddressRequest {
  subnetId: string;
  owner: string;
}
export interface ReleaseAddressResult {
  released: string | null;
}
/** Many addresses given back in one Update: what a service's released members held. */
export interface ReleaseAddressesRequest {
  releases: ReleaseAddressRequest[];
}
/** Per release, in order: the address given back, or null when the owner held none there. */
export interface ReleaseAddressesResult {
  released: (string | null)[];
}
export type { InfraView, HostStatusView, SubnetStatusView, AddressHolding } from '../domain/infra/statusView';
export type { SubnetInfo } from '../domain/ipam';

export const placeContainersUpdate = defineUpdate<PlaceResult, [PlaceRequest]>('placeContainers');
/** Answers how many members were released. */
export const releaseContainersUpdate = defineUpdate<number, [ReleaseRequest]>('releaseContainers');

/** `clocker infra policy FILE`: replaces what blueprints may take from the hosts; answers the policy now in force. */
export const setHostPolicyUpdate = defineUpdate<HostPolicy, [HostPolicy]>('setHostPolicy');
export const allocateSubnetUpdate = defineUpdate<SubnetInfo, [AllocateSubnetRequest]>('allocateSubnet');
export const releaseSubnetUpdate = defineUpdate<ReleaseSubnetResult, [ReleaseSubnetRequest]>('releaseSubnet');
export const allocateAddressUpdate = defineUpdate<AddressAllocation, [AllocateAddressRequest]>('allocateAddress');
export const allocateAddressesUpdate = defineUpdate<AllocateAddressesResult, [AllocateAddressesRequest]>('allocateAddresses');
export const releaseAddressUpdate = defineUpdate<ReleaseAddressResult, [ReleaseAddressRequest]>('releaseAddress');
export const releaseAddressesUpdate = defineUpdate<ReleaseAddressesResult, [ReleaseAddressesRequest]>('releaseAddresses');
export const infraStatusQuery = defineQuery<InfraView>('status');
/** A dry run of the scheduler for a whole application (its requests in start order): books nothing. */
export const admissionQuery = defineQuery<AdmissionAnswer, [PlaceRequest[]]>('admission');

// Hosts of a provisioned (byon) infrastructure. Operators send the first three with plain
// `temporal workflow signal --workflow-id clocker/infra/<name> --name <signal> --input '<json>'`:
//   resize      {"hosts": 4}                         provision spares up to 4 active hosts, or drain down to 4
//   addHost     {"host": {"id": "h4", "address": "10.0.0.14", "keyRef": "$secret:ssh-key"}, "spare": false}
//   removeHost  {"hostId": "h2"}                     drain (services move members), stop dockerd, forget
//   hostFailed  {"hostId": "h2", "reason": "…"}      what the host's monitor sends; members there are released
/** Active byon hosts wanted; spares fill the gap, extra hosts are drained back to spares. */
export interface ResizeRequest {
  hosts: number;
}
/** Only id and address are required; the rest defaults as in an infra file (port 22, user root, key ~/.ssh/id_ed25519). */
export interface AddHostRequest {
  host: Partial<ByonHost> & Pick<ByonHost, 'id' | 'address'>;
  /** Keep it for `resize` instead of provisioning it now. */
  spare?: boolean;
}
export interface RemoveHostRequest {
  hostId: string;
}
export interface HostFailedReport {
  hostId: string;
  reason: string;
}
/** The host child's word that the engine answers over TLS (at provisioning, or again after a failure). */
export interface HostReadyReport {
  hostId: string;
  docker: DockerEndpoint;
  cpus: number;
  memoryBytes: number;
  dockerVersion: string;
}
export interface HostUsageReport {
  hostId: string;
  usage: HostUsage;
  containers: number;
}
export interface HostKeyReport {
  hostId: string;
  hostKeyFingerprint: string;
}
export const resizeSignal = defineSignal<[ResizeRequest]>('resize');
export const addHostSignal = defineSignal<[AddHostRequest]>('addHost');
export const removeHostSignal = defineSignal<[RemoveHostRequest]>('removeHost');
export const hostFailedSignal = defineSignal<[HostFailedReport]>('hostFailed');
export const hostReadySignal = defineSignal<[HostReadyReport]>('hostReady');
/** Sent by `clocker up` when the local host's address it finds differs from the recorded one. */
export const hostAddressUpdate = defineUpdate<void, [HostAddressChange]>('setHostAddress');
export const hostUsageSignal = defineSignal<[HostUsageReport]>('hostUsage');
export const hostKeyPinnedSignal = defineSignal<[HostKeyReport]>('hostKeyPinned');

/**
 * Sent by the infrastructure to `clocker/app/<app>/svc/<service>`: these members' host failed
 * (`hostFailed`, their reservations are already released) or is draining (`hostDraining`,
 * released when the drain times out): start replacements elsewhere.
 */
export interface ServiceHostEvent {
  infrastructure: string;
  hostId: string;
  reason: string;
  members: string[];
}
export const serviceHostFailedSignal = defineSignal<[ServiceHostEvent]>('hostFailed');
export const serviceHostDrainingSignal = defineSignal<[ServiceHostEvent]>('hostDraining');
/** The infrastructure's word to a service whose placement it refused: room has been freed or added since. */
export const capacityFreedSignal = defineSignal<[{ infrastructure: string }]>('capacityFreed');

// --- host (child of infrastructure: clocker/infra/<name>/host/<host>) ------------------
export type HostPhase = 'PROVISIONING' | 'AVAILABLE' | 'FAILED' | 'DECOMMISSIONED';
export interface HostWorkflowView {
  infrastructure: string;
  hostId: string;
  phase: HostPhase;
  /** The provisioning step running now (connect, os, docker, certificates, daemon-config, daemon-start, verify). */
  step?: string;
  problem?: string;
  consecutiveFailures: number;
  dockerVersion?: string;
  provisionedInMs?: number;
}
export const hostStatusQuery = defineQuery<HostWorkflowView>('status');
/** Stop the daemon and end (the infrastructure sends it after a drain). */
export const decommissionSignal = defineSignal('decommission');

// --- application --------------------------------------------------------------------
export const appStatusQuery = defineQuery<AppView>('status');
/** The blueprint the application runs now (what `clocker plan` compares a file with). */
export const blueprintQuery = defineQuery<Blueprint>('blueprint');
/** Apply a new version of the blueprint; answers the plan, as text, and the version it will be. */
export const deployUpdate = defineUpdate<{ plan: string; version: number }, [Blueprint]>('deploy');
/** Tear the application down: containers removed, placements released, then the workflow ends. */
export const destroySignal = defineSignal('destroy');
/** Effectors, for an application (every service, in dependency order) or one service. */
export type Effector = 'stop' | 'start' | 'restart';
export const stopSignal = defineSignal('stop');
export const startSignal = defineSignal('start');
/** Members restart one at a time, each healthy before the next. */
export const restartSignal = defineSignal('restart');
/** A service child tells its application what it looks like now. */
export const serviceReportSignal = defineSignal<[ServiceView]>('serviceReport');

// --- service ------------------------------------------------------------------------
export const serviceStatusQuery = defineQuery<ServiceView>('status');
/** The application hands a service its next version (rolling update and/or resize). */
export const upgradeSignal = defineSignal<[ServiceVersion]>('upgrade');
/** `{"by": 2}` or `{"by": -1}` (or a bare number): grow or shrink by n members, within the cluster's min/max. */
export const serviceScaleSignal = defineSignal<[{ by: number } | number]>('scale');
/** `{"size": 5}` (or a bare number): this many members, within the cluster's min/max. */
export const serviceResizeSignal = defineSignal<[{ size: number } | number]>('resize');
/**
 * At most one of `size` (this many members) or `by` (grow or shrink by n). An autoscaled
 * service refuses a plain size: `min`/`max` move its autoscaler's bounds (within the cluster's),
 * the size brought within them (or `size`/`by` given with them, inside the new bounds).
 */
export interface ResizeServiceRequest {
  size?: number;
  by?: number;
  min?: number;
  max?: number;
}
export interface ResizeServiceAnswer {
  /** The size the service is now asked to reach. */
  size: number;
  /** What it was asked to be before. */
  from: number;
  /** The autoscaler's bounds now (a request that moved them). */
  min?: number;
  max?: number;
}
/**
 * The Update form of `resize`/`scale` (`clocker resize`, `clocker scale`): answers the new size,
 * or refuses a size outside the cluster's min..max with a message saying the bounds.
 */
export const resizeServiceUpdate = defineUpdate<ResizeServiceAnswer, [ResizeServiceRequest]>('resizeService');
/**
 * The application re-bound the service's references (a dependency's members changed) and ran
 * its `reload` in every member: members started from now on get these values, nothing rolls.
 */
export interface Rebinding {
  env: ServiceVersion['env'];
  dns: string[];
  /** `specFingerprint` of the spec the values were bound for: versions of another spec keep theirs. */
  spec: string;
}
export const reconfiguredSignal = defineSignal<[Rebinding]>('reconfigured');
/** The application's answer to a report with `syncRequested`: services following this one are told. */
export const dependentsSyncedSignal = defineSignal<[{ seq: number }]>('dependentsSynced');

// --- member monitoring (issue #11) ------------------------------------------------------
/**
 * A host's monitor tells the owning service what happened to one of its members' containers:
 * `die` (the process exited or was killed), `oom`, `destroy` (removed), `unhealthy` (its health
 * check keeps failing), `missing`/`exited` (found by the periodic inventory). The service
 * checks the member is one it believes RUNNING and that the container is really down before
 * its failure chain acts; events for members it is stopping or removing are ignored.
 */
export interface MemberEvent {
  member: string;
  event: MemberFailureKind;
  exitCode?: number;
  /** When the engine saw it (ISO 8601): for people; the service times its decisions itself. */
  at: string;
  /** The container the event was about: an event about an earlier container of the member is stale. */
  containerId?: string;
  /** Extra words, e.g. the failing probe's last answer. */
  detail?: string;
}
export const memberEventSignal = defineSignal<[MemberEvent]>('memberEvent');

/** `clocker/infra/<infra>/monitor/<host>`: one per host that holds members. */
export interface HostMonitorView {
  infrastructure: string;
  hostId: string;
  /** Events passed on to services since the monitor (this run chain) started. */
  reported: number;
  /** Watcher runs (each a long activity) since the monitor started. */
  watches: number;
  /** Why the last watch ended, e.g. `rotated`, `idle`, or an error. */
  lastOutcome?: string;
}
export const hostMonitorStatusQuery = defineQuery<HostMonitorView>('status');
/** Sent (with start) whenever members are placed on the host: keeps an idle monitor from ending. */
export const watchHostSignal = defineSignal('watch');
/** What a host's watcher needs to keep probing a service's running members after they started. */
export interface MemberProbes {
  /** Absent: the service declares no health check (deaths are still seen by the event stream). */
  health?: HealthCheck;
  /** Secrets the members were given: a probe's output is redacted of their values. */
  secretNames: string[];
  members: { member: string; hostId: string; hostAddress: string; containerName: string; containerId?: string; ports: MappedPort[] }[];
}
export const memberProbesQuery = defineQuery<MemberProbes>('memberProbes');

// --- descriptions -------------------------------------------------------------------------
/**
 * What the Web UI (and `temporal workflow metadata`) says of each message, given where its
 * handler is set (`setHandler(def, fn, { description: HELP.def })`): the ones a person sends
 * say their JSON input; the ones Clocker sends itself start with `internal:`, so the Send
 * Signal list tells them apart. test/unit/messageHelp.test.ts keeps one entry per definition.
 */
export const HELP = {
  // infrastructure
  placeContainersUpdate: 'internal: the placement activity books room for members (one decision over the batch).',
  releaseContainersUpdate: 'internal: gives back the room of a service\'s members; answers how many were released.',
  setHostPolicyUpdate: 'Replaces what blueprints may take from the hosts; input: the infra file\'s `policy:` as JSON (`clocker infra policy FILE` sends it). Answers the policy in force.',
  allocateSubnetUpdate: 'internal: carves a subnet for an application network.',
  releaseSubnetUpdate: 'internal: gives an application network\'s subnet back.',
  allocateAddressUpdate: 'internal: hands out an address in a subnet.',
  allocateAddressesUpdate: 'internal: hands out the addresses of the members one placement gave a service, in one update.',
  releaseAddressUpdate: 'internal: gives an address back.',
  releaseAddressesUpdate: 'internal: gives back the addresses of a service\'s released members, in one update.',
  infraStatusQuery: 'Hosts (capacity, usage, what is placed where), subnets and policy: what `clocker infra status` shows.',
  admissionQuery: 'internal: the preflight\'s dry run of the scheduler for a whole application; books nothing.',
  resizeSignal: 'Active SSH hosts wanted: `{"hosts": 4}`. Spares are provisioned up to it, extra hosts drained back to spares.',
  addHostSignal: 'Adds a host: `{"host": {"id": "h5", "address": "192.0.2.15", "keyRef": "$secret:lab-ssh-key"}, "spare": false}`.',
  removeHostSignal: 'Drains a host (its members move), stops its dockerd and forgets it: `{"hostId": "h2"}`.',
  hostFailedSignal: 'A host is lost: `{"hostId": "h3", "reason": "rack power"}`; its members are replaced elsewhere (its monitor sends this too).',
  hostReadySignal: 'internal: a host\'s workflow reports its engine answers over TLS.',
  hostAddressUpdate: 'internal: `clocker up` corrects the local host\'s address: `{"hostId": "local", "address": "…"}`.',
  hostUsageSignal: 'internal: a host\'s workflow reports measured usage.',
  hostKeyPinnedSignal: 'internal: a host\'s workflow reports the SSH host key it pinned.',
  serviceHostFailedSignal: 'internal: the infrastructure says these members\' host failed; the service replaces them.',
  serviceHostDrainingSignal: 'internal: the infrastructure says these members\' host is draining; the service moves them.',
  capacityFreedSignal: 'internal: the infrastructure says room was freed or added since it refused this service a placement; a service short of members tries again now.',
  // host
  hostStatusQuery: 'The host\'s phase (PROVISIONING, AVAILABLE, FAILED, DECOMMISSIONED), provisioning step and last problem.',
  decommissionSignal: 'internal: the infrastructure ends the host after a drain (use `removeHost` on the infrastructure).',
  // application
  appStatusQuery: 'The application\'s status, services, members, hosts and ports: what `clocker status APP` shows.',
  blueprintQuery: 'The blueprint the application runs now (what `clocker plan` compares a file with).',
  deployUpdate: 'Applies a new version of the blueprint (a whole blueprint as JSON: use `clocker deploy FILE`); answers the plan and the version number.',
  destroySignal: 'Tears the application (or service) down: containers removed, placements released, then the workflow ends. No input.',
  stopSignal: 'Stops every member (an application: dependents first). No input.',
  startSignal: 'Starts what is stopped, replaces failed members, places missing ones (an application: dependencies first). No input.',
  restartSignal: 'Restarts members one at a time, each healthy before the next. No input.',
  serviceReportSignal: 'internal: a service tells its application what it looks like now.',
  // service
  serviceStatusQuery: 'The service\'s status, members (host, state, ports), last events and last rollout.',
  upgradeSignal: 'internal: the application hands the service its next version (use `clocker deploy FILE`).',
  serviceScaleSignal: 'Grows or shrinks by n members within the blueprint\'s cluster bounds: `{"by": 2}` or `{"by": -1}`.',
  serviceResizeSignal: 'This many members, held to the blueprint\'s cluster bounds: `{"size": 5}` (the Update `resizeService` refuses out-of-bounds sizes instead).',
  resizeServiceUpdate: 'Resizes and answers: `{"size": 5}` or `{"by": -1}`; a size outside the cluster bounds is refused with the bounds. Answers `{"size": n, "from": m}`.',
  reconfiguredSignal: 'internal: the application re-bound the service\'s references and reloaded its members.',
  dependentsSyncedSignal: 'internal: the application confirms dependents were told about draining members.',
  memberEventSignal: 'internal: a host\'s monitor reports a member\'s container died, ran out of memory, turned unhealthy or went missing.',
  // monitor
  hostMonitorStatusQuery: 'Events passed on to services, watches run, and why the last watch ended.',
  watchHostSignal: 'internal: the placement activity keeps the monitor alive when members land on its host.',
  memberProbesQuery: 'internal: the host watchers ask which running members to probe, and how.',
} as const satisfies Record<string, string>;
