// Update validators: a malformed request is rejected before it enters history.
import type { PlaceRequest, ReleaseRequest } from './messages';

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

function checkId(what: string, value: unknown): void {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new Error(`${what} must be a name of letters, digits, '_' or '-' (got ${JSON.stringify(value)})`);
  }
}

export function validatePlaceRequest(req: PlaceRequest): void {
  checkId('app', req?.app);
  checkId('service', req?.service);
  if (!Array.isArray(req.members) || req.members.length === 0) throw new Error('members must be a non-empty list');
  req.members.forEach((m, i) => checkId(`members[${i}]`, m));
  if (new Set(req.members).size !== req.members.length) throw new Error('members must not repeat');
}

export function validateReleaseRequest(req: ReleaseRequest): void {
  checkId('app', req?.app);
  checkId('service', req?.service);
  if (req.members !== undefined) {
    if (!Array.isArray(req.members)) throw new Error('members, when given, must be a list');
    req.members.forEach((m, i) => checkId(`members[${i}]`, m));
  }
}
