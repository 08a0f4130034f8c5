// Update validators: a malformed request is rejected before it enters history. Each throws
// one Error listing every problem ("path: message; …"); the caller sees it as the update's
// failure. Validators that depend on the state only read it.
import { formatIpamIssues, validateAddressRequest, validateSubnetRequest, type IpamIssue, type IpamState } from '../domain/ipam';
import { formatIssues, validatePlacementRequest } from '../domain/placement';
import type { AddHostRequest, RemoveHostRequest, ResizeRequest } from './messages';
import type { AllocateAddressesRequest, AllocateAddressRequest, AllocateSubnetRequest, PlaceRequest, ReleaseAddressesRequest, ReleaseAddressRequest, ReleaseRequest, ReleaseSubnetRequest } from './messages';

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

function checkId(what: string, value: unknown): void {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new Error(`${what} must be a name of letters, digits, '_' or '-' (got ${JSON.stringify(value)})`);
  }
}

function checkObject(what: string, req: unknown): asserts req is Record<string, unknown> {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) throw new Error(`${what} must be an object (got ${JSON.stringify(req)})`);
}

function checkText(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty string (got ${JSON.stringify(value)})`);
}

function checkNonEmptyList(what: string, value: unknown): asserts value is unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${what} must be a non-empty list`);
}

/** One address given back; `at` prefixes the field names when it is an item of a list. */
function checkAddressRelease(what: string, req: unknown, at = ''): void {
  checkObject(what, req);
  checkText(`${at}subnetId`, req.subnetId);
  checkText(`${at}owner`, req.owner);
}

const oneLine = (text: string) => text.replace(/\n/g, '; ');

function throwIpamIssues(what: string, issues: readonly IpamIssue[]): void {
  if (issues.length > 0) throw new Error(`invalid ${what}: ${oneLine(formatIpamIssues(issues))}`);
}

export function validatePlaceRequest(req: PlaceRequest): void {
  checkObject('a placement request', req);
  checkId('app', req.app);
  checkId('service', req.service);
  checkNonEmptyList('members', req.members);
  req.members.forEach((m, i) => checkId(`members[${i}]`, m));
  if (new Set(req.members).size !== req.members.length) throw new Error('members must not repeat');
  // Everything else (duplicates, resources, constraints, the predicate's syntax, rankers) at once.
  const issues = validatePlacementRequest(req);
  if (issues.length > 0) throw new Error(`invalid placement request: ${oneLine(formatIssues(issues))}`);
}

export function validateReleaseRequest(req: ReleaseRequest): void {
  checkObject('a release request', req);
  checkId('app', req.app);
  checkId('service', req.service);
  if (req.members !== undefined) {
    if (!Array.isArray(req.members)) throw new Error('members, when given, must be a list');
    req.members.forEach((m, i) => checkId(`members[${i}]`, m));
  }
}

/** Overlaps, unknown pools and exhausted pools are found here too: the same planning as the allocation. */
export function validateAllocateSubnet(ipam: IpamState, req: AllocateSubnetRequest): void {
  throwIpamIssues('subnet request', validateSubnetRequest(ipam, req));
}

export function validateReleaseSubnet(req: ReleaseSubnetRequest): void {
  checkObject('a subnet release', req);
  const extra = Object.keys(req).filter((k) => k !== 'subnetId' && k !== 'owner');
  if (extra.length > 0) throw new Error(`a subnet release takes subnetId or owner, not ${extra.join(', ')}`);
  if ((req.subnetId === undefined) === (req.owner === undefined)) throw new Error('a subnet release names exactly one of subnetId and owner');
  if (req.subnetId !== undefined) checkText('subnetId', req.subnetId);
  if (req.owner !== undefined) checkText('owner', req.owner);
}

export function validateAllocateAddress(ipam: IpamState, req: AllocateAddressRequest): void {
  checkObject('an address request', req);
  checkText('subnetId', req.subnetId);
  const { subnetId, ...request } = req;
  throwIpamIssues('address request', validateAddressRequest(ipam, subnetId, request));
}

/** The shape only: what IPAM refuses (a static address outside the subnet, a full subnet) is that owner's answer, not the whole Update's. */
export function validateAllocateAddresses(req: AllocateAddressesRequest): void {
  checkObject('an addresses request', req);
  checkNonEmptyList('owners', req.owners);
  req.owners.forEach((o, i) => {
    checkObject(`owners[${i}]`, o);
    checkText(`owners[${i}].owner`, o.owner);
    if (!Array.isArray(o.requests)) throw new Error(`owners[${i}].requests must be a list`);
    o.requests.forEach((r, j) => {
      checkObject(`owners[${i}].requests[${j}]`, r);
      checkText(`owners[${i}].requests[${j}].subnetId`, r.subnetId);
      if (r.address !== undefined) checkText(`owners[${i}].requests[${j}].address`, r.address);
    });
  });
  if (new Set(req.owners.map((o) => o.owner)).size !== req.owners.length) throw new Error('owners must not repeat');
}

export function validateReleaseAddress(req: ReleaseAddressRequest): void {
  checkAddressRelease('an address release', req);
}

export function validateReleaseAddresses(req: ReleaseAddressesRequest): void {
  checkObject('an addresses release', req);
  checkNonEmptyList('releases', req.releases);
  req.releases.forEach((r, i) => checkAddressRelease(`releases[${i}]`, r, `releases[${i}].`));
}

// --- host signals (signals have no validators: the workflow logs and ignores what these refuse)

export function validateResize(req: ResizeRequest): void {
  checkObject('a resize request', req);
  if (!Number.isInteger(req.hosts) || req.hosts < 0) throw new Error(`hosts must be a whole number ≥ 0 (got ${JSON.stringify(req.hosts)})`);
}

export function validateAddHost(req: AddHostRequest): void {
  checkObject('an addHost request', req);
  checkObject('host', req.host);
  checkId('host.id', req.host.id);
  checkText('host.address', req.host.address);
  if (req.host.keyRef !== undefined && !/^(\$secret:[A-Za-z0-9_.-]+|\/.+|~\/.+)$/.test(req.host.keyRef)) {
    throw new Error(`host.keyRef must be $secret:NAME or an absolute path (got ${JSON.stringify(req.host.keyRef)})`);
  }
  if (req.host.port !== undefined && (!Number.isInteger(req.host.port) || req.host.port < 1 || req.host.port > 65535)) throw new Error('host.port must be 1-65535');
  if (req.spare !== undefined && typeof req.spare !== 'boolean') throw new Error('spare must be true or false');
}

export function validateRemoveHost(req: RemoveHostRequest): void {
  checkObject('a removeHost request', req);
  checkId('hostId', req.hostId);
}

export function validateHostReport<T extends { hostId: string }>(req: T): void {
  checkObject('a host report', req);
  checkId('hostId', req.hostId);
}
