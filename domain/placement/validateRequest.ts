// Checks a placement request at the edge (the infrastructure workflow's Update validator),
// so a malformed request is rejected before it enters history. All problems are reported
// at once, each with a path into the request.
import type { HostView, ValidationIssue } from './model';
import { compilePredicate, PredicateSyntaxError } from './predicate/compilePredicate';
import { hostAttributes } from './predicate/hostAttributes';
import { isRankerName, RANKER_NAMES } from './rankers/registry';

type Fields = Record<string, unknown>;

const REQUEST_KEYS = ['app', 'service', 'members', 'resources', 'constraints', 'strategy'];
const RESOURCE_KEYS = ['cpus', 'memoryBytes'];
const CONSTRAINT_KEYS = ['requiredLabels', 'regions', 'zones', 'maxPerHost', 'maxPerZone', 'predicate', 'maxCpuPercent', 'maxMemoryPercent'];

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** "path: message" lines, for an Update validator's error. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('\n');
}

export function validatePlacementRequest(request: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (code: string, path: string, message: string) => issues.push({ code: `placement.${code}`, path, message });
  if (!isObject(request)) {
    add('notObject', '', `a placement request must be an object, got ${show(request)}`);
    return issues;
  }
  unknownKeys(request, REQUEST_KEYS, '', add);
  for (const key of ['app', 'service']) {
    const value = request[key];
    if (typeof value !== 'string' || value === '') add('required', key, `must be a non-empty string, got ${show(value)}`);
  }
  checkMembers(request.members, add);
  if (request.resources !== undefined) checkResources(request.resources, add);
  if (request.constraints !== undefined) checkConstraints(request.constraints, add);
  if (request.strategy !== undefined) checkStrategy(request.strategy, add);
  return issues;
}

type Add = (code: string, path: string, message: string) => void;

function unknownKeys(object: Fields, known: readonly string[], prefix: string, add: Add): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) add('unknownKey', prefix + key, `is not a known field (known: ${known.join(', ')})`);
  }
}

function checkMembers(members: unknown, add: Add): void {
  if (!Array.isArray(members)) return add('required', 'members', `must be a list of member ids, got ${show(members)}`);
  const seen = new Set<string>();
  members.forEach((member: unknown, i) => {
    if (typeof member !== 'string' || member === '') add('memberId', `members[${i}]`, `must be a non-empty string, got ${show(member)}`);
    else if (seen.has(member)) add('duplicateMember', `members[${i}]`, `repeats member ${member}`);
    else seen.add(member);
  });
}

function checkNumber(value: unknown, path: string, add: Add, rule: { min: number; max?: number; whole?: boolean }): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.whole || Number.isInteger(value));
  if (ok) return;
  const kind = rule.whole ? 'a whole number' : 'a number';
  const range = rule.max === undefined ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
  add('number', path, `must be ${kind} ${range}, got ${show(value)}`);
}

function checkResources(resources: unknown, add: Add): void {
  if (!isObject(resources)) return add('notObject', 'resources', `must be an object, got ${show(resources)}`);
  unknownKeys(resources, RESOURCE_KEYS, 'resources.', add);
  checkNumber(resources.cpus, 'resources.cpus', add, { min: 0 });
  checkNumber(resources.memoryBytes, 'resources.memoryBytes', add, { min: 0, whole: true });
}

function checkStringList(value: unknown, path: string, add: Add): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    add('stringList', path, `must be a list of non-empty strings, got ${show(value)}`);
  }
}

function checkConstraints(constraints: unknown, add: Add): void {
  if (!isObject(constraints)) return add('notObject', 'constraints', `must be an object, got ${show(constraints)}`);
  unknownKeys(constraints, CONSTRAINT_KEYS, 'constraints.', add);
  const labels = constraints.requiredLabels;
  if (labels !== undefined && (!isObject(labels) || Object.values(labels).some((v) => typeof v !== 'string'))) {
    add('labels', 'constraints.requiredLabels', `must map label names to string values, got ${show(labels)}`);
  }
  checkStringList(constraints.regions, 'constraints.regions', add);
  checkStringList(constraints.zones, 'constraints.zones', add);
  checkNumber(constraints.maxPerHost, 'constraints.maxPerHost', add, { min: 1, whole: true });
  checkNumber(constraints.maxPerZone, 'constraints.maxPerZone', add, { min: 1, whole: true });
  checkNumber(constraints.maxCpuPercent, 'constraints.maxCpuPercent', add, { min: 0, max: 100 });
  checkNumber(constraints.maxMemoryPercent, 'constraints.maxMemoryPercent', add, { min: 0, max: 100 });
  if (constraints.predicate !== undefined) checkPredicate(constraints.predicate, add);
}

/** A host with every attribute set, to catch unknown names and functions before any real host. */
const SAMPLE_HOST: HostView = {
  id: 'sample',
  healthy: true,
  status: 'AVAILABLE',
  labels: {},
  region: 'region',
  zone: 'zone',
  capacity: { cpus: 1, memoryBytes: 1, maxContainers: 1 },
  usage: { cpuPercent: 0, memoryBytes: 0 },
  reservations: [],
};

function checkPredicate(predicate: unknown, add: Add): void {
  if (typeof predicate !== 'string') return add('predicate', 'constraints.predicate', `must be a string, got ${show(predicate)}`);
  try {
    const outcome = compilePredicate(predicate)(hostAttributes(SAMPLE_HOST));
    if (typeof outcome === 'object') add('predicate', 'constraints.predicate', outcome.error);
  } catch (error) {
    if (!(error instanceof PredicateSyntaxError)) throw error;
    add('predicate', 'constraints.predicate', error.message);
  }
}

function checkStrategy(strategy: unknown, add: Add): void {
  if (!Array.isArray(strategy)) return add('strategy', 'strategy', `must be a list of rankers, got ${show(strategy)}`);
  const seen = new Set<string>();
  strategy.forEach((name: unknown, i) => {
    if (!isRankerName(name)) add('unknownRanker', `strategy[${i}]`, `${show(name)} is not a ranker (known: ${RANKER_NAMES.join(', ')})`);
    else if (seen.has(name)) add('duplicateRanker', `strategy[${i}]`, `repeats ranker ${name}`);
    else seen.add(name);
  });
}
