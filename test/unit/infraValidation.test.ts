// Update validators of the infrastructure workflow beyond the basic id checks: every problem
// in one message, IPAM checks against the current state, release requests' shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateSubnet, createIpamState, type IpamState } from '../../domain/ipam';
import {
  validateAllocateAddress,
  validateAllocateSubnet,
  validatePlaceRequest,
  validateReleaseAddress,
  validateReleaseSubnet,
} from '../../workflows/requestValidation';
import type { PlaceRequest } from '../../workflows/messages';

function ipam(): IpamState {
  const created = createIpamState([{ id: 'lab', cidr: '10.9.0.0/16' }]);
  if (!created.ok) throw new Error('pools');
  allocateSubnet(created.state, { owner: 'taken', cidr: '10.9.1.0/24' });
  return created.state;
}

test('placement: constraints, resources and strategy problems are reported together', () => {
  const req = {
    app: 'a',
    service: 's',
    members: ['1'],
    resources: { cpus: -1 },
    constraints: { predicate: 'cpus >=', maxPerHost: 0 },
    strategy: ['fastest'],
  } as unknown as PlaceRequest;
  assert.throws(
    () => validatePlaceRequest(req),
    {
      message:
        'invalid placement request: resources.cpus: must be a number at least 0, got -1; constraints.maxPerHost: must be a whole number at least 1, got 0; ' +
        'constraints.predicate: cannot parse predicate "cpus >=" at column 8: Expecting \'-\', \'not\', \'if\', \'(\', \'Number\', \'Symbol\', \'String\', got \'EndOfExpression\'; ' +
        'strategy[0]: "fastest" is not a ranker (known: random, depth-first, breadth-first, least-cpu, least-memory, fewest-containers)',
    },
  );
  assert.throws(() => validatePlaceRequest({ app: 'a', service: 's', members: ['1'], constraints: { predicate: 'cores > 2' } }), /constraints\.predicate: .*cores/);
  assert.throws(() => validatePlaceRequest(null as unknown as PlaceRequest), /a placement request must be an object/);
});

test('subnet requests are checked against pools and held subnets', () => {
  const state = ipam();
  assert.doesNotThrow(() => validateAllocateSubnet(state, { owner: 'shop/net' }));
  assert.throws(() => validateAllocateSubnet(state, { owner: 'shop/net', cidr: '10.9.1.128/25' }), {
    message: 'invalid subnet request: cidr: 10.9.1.128/25 overlaps 10.9.1.0/24 held by taken',
  });
  assert.throws(() => validateAllocateSubnet(state, { owner: '' }), /^Error: invalid subnet request: owner: must be an id/);
  assert.equal(Object.keys(state.subnets).length, 1, 'validators never change the state');
});

test('address requests name an allocated subnet and a free address inside it', () => {
  const state = ipam();
  assert.doesNotThrow(() => validateAllocateAddress(state, { subnetId: '10.9.1.0/24', owner: 'm1', address: '10.9.1.7' }));
  assert.throws(() => validateAllocateAddress(state, { subnetId: '10.9.2.0/24', owner: 'm1' }), /subnet: no subnet "10.9.2.0\/24" is allocated/);
  assert.throws(() => validateAllocateAddress(state, { subnetId: '10.9.1.0/24', owner: 'm1', address: '10.9.1.1' }), /address: /);
});

test('releases name exactly what they free', () => {
  assert.doesNotThrow(() => validateReleaseSubnet({ owner: 'shop/net' }));
  assert.doesNotThrow(() => validateReleaseSubnet({ subnetId: '10.9.1.0/24' }));
  assert.throws(() => validateReleaseSubnet({}), /exactly one of subnetId and owner/);
  assert.throws(() => validateReleaseSubnet({ owner: 'a', subnetId: 'b' }), /exactly one/);
  assert.throws(() => validateReleaseSubnet({ cidr: 'x' } as never), /takes subnetId or owner, not cidr/);
  assert.doesNotThrow(() => validateReleaseAddress({ subnetId: '10.9.1.0/24', owner: 'm1' }));
  assert.throws(() => validateReleaseAddress({ subnetId: '10.9.1.0/24' } as never), /owner must be a non-empty string/);
});
