// The Update validator's view: every problem at once, with paths and verbatim messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssues, validatePlacementRequest } from '../../../domain/placement';

test('a well-formed request has no issues', () => {
  assert.deepEqual(
    validatePlacementRequest({
      app: 'shop',
      service: 'web',
      members: ['web-1', 'web-2'],
      resources: { cpus: 0.5, memoryBytes: 268435456 },
      constraints: { requiredLabels: { disk: 'ssd' }, regions: ['eu'], zones: ['eu-1a'], maxPerHost: 1, maxPerZone: 2, predicate: 'cpus >= 2 and labels.disk == "ssd"', maxCpuPercent: 80, maxMemoryPercent: 90 },
      strategy: ['breadth-first', 'least-memory', 'random'],
    }),
    [],
  );
});

const cases: { name: string; request: unknown; expect: string }[] = [
  { name: 'not an object', request: [], expect: 'a placement request must be an object, got []' },
  { name: 'missing names and members', request: {}, expect: 'app: must be a non-empty string, got nothing\nservice: must be a non-empty string, got nothing\nmembers: must be a list of member ids, got nothing' },
  { name: 'bad member ids', request: { app: 'a', service: 's', members: ['m', '', 'm', 3] }, expect: 'members[1]: must be a non-empty string, got ""\nmembers[2]: repeats member m\nmembers[3]: must be a non-empty string, got 3' },
  { name: 'unknown fields are typos', request: { app: 'a', service: 's', members: [], constraint: {}, constraints: { maxPerHosts: 1 } }, expect: 'constraint: is not a known field (known: app, service, members, resources, constraints, strategy)\nconstraints.maxPerHosts: is not a known field (known: requiredLabels, regions, zones, maxPerHost, maxPerZone, predicate, maxCpuPercent, maxMemoryPercent)' },
  { name: 'resources out of range', request: { app: 'a', service: 's', members: [], resources: { cpus: -1, memoryBytes: 1.5 } }, expect: 'resources.cpus: must be a number at least 0, got -1\nresources.memoryBytes: must be a whole number at least 0, got 1.5' },
  { name: 'limits out of range', request: { app: 'a', service: 's', members: [], constraints: { maxPerHost: 0, maxPerZone: 1.5, maxCpuPercent: 101, maxMemoryPercent: '50' } }, expect: 'constraints.maxPerHost: must be a whole number at least 1, got 0\nconstraints.maxPerZone: must be a whole number at least 1, got 1.5\nconstraints.maxCpuPercent: must be a number from 0 to 100, got 101\nconstraints.maxMemoryPercent: must be a number from 0 to 100, got "50"' },
  { name: 'labels and places', request: { app: 'a', service: 's', members: [], constraints: { requiredLabels: { a: 1 }, regions: 'eu', zones: [''] } }, expect: 'constraints.requiredLabels: must map label names to string values, got {"a":1}\nconstraints.regions: must be a list of non-empty strings, got "eu"\nconstraints.zones: must be a list of non-empty strings, got [""]' },
  { name: 'predicate syntax', request: { app: 'a', service: 's', members: [], constraints: { predicate: 'cpus >> 2' } }, expect: `constraints.predicate: cannot parse predicate "cpus >> 2" at column 7: Expecting '-', 'not', 'if', '(', 'Number', 'Symbol', 'String', got '>'` },
  { name: 'predicate with an unknown attribute', request: { app: 'a', service: 's', members: [], constraints: { predicate: 'cpu >= 2' } }, expect: 'constraints.predicate: Property “cpu” does not exist.' },
  { name: 'predicate with an unknown function', request: { app: 'a', service: 's', members: [], constraints: { predicate: 'system("rm")' } }, expect: 'constraints.predicate: Unknown function: system()' },
  { name: 'predicate cannot reach prototypes', request: { app: 'a', service: 's', members: [], constraints: { predicate: 'constructor' } }, expect: 'constraints.predicate: Property “constructor” does not exist.' },
  { name: 'strategy', request: { app: 'a', service: 's', members: [], strategy: ['random', 'random', 'fastest'] }, expect: 'strategy[1]: repeats ranker random\nstrategy[2]: "fastest" is not a ranker (known: random, depth-first, breadth-first, least-cpu, least-memory, fewest-containers)' },
  { name: 'strategy not a list', request: { app: 'a', service: 's', members: [], strategy: 'random' }, expect: 'strategy: must be a list of rankers, got "random"' },
];

for (const t of cases) {
  test(`invalid: ${t.name}`, () => {
    assert.equal(formatIssues(validatePlacementRequest(t.request)), t.expect);
  });
}

test('issues carry stable codes', () => {
  const codes = validatePlacementRequest({ app: '', service: 's', members: ['x', 'x'], strategy: ['nope'], constraints: { predicate: '(' } }).map((i) => i.code);
  assert.deepEqual(codes, ['placement.required', 'placement.duplicateMember', 'placement.predicate', 'placement.unknownRanker']);
});
