import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkCreateOptions } from '../../activities/docker/networks';
import { managerCount } from '../../activities/docker/swarm';

test('swarm managers by pool size: 1, 3 or 5 (an odd Raft quorum)', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(managerCount), [1, 1, 3, 3, 5, 5]);
});

test('an overlay network is created attachable, with the subnet and gateway IPAM gave', () => {
  const options = networkCreateOptions('shop', { id: 'mesh', driver: 'overlay', cidr: '10.230.4.0/24', gateway: '10.230.4.1', labels: {} });
  assert.equal(options.Driver, 'overlay');
  assert.equal(options.Attachable, true);
  // Docker's own address picks are kept to the upper half (IPRange); IPAM hands out the lower.
  assert.deepEqual(options.IPAM, { Driver: 'default', Config: [{ Subnet: '10.230.4.0/24', Gateway: '10.230.4.1', IPRange: '10.230.4.128/25' }] });
  const bridge = networkCreateOptions('shop', { id: 'back', driver: 'bridge', labels: {} });
  assert.equal(bridge.Driver, 'bridge');
  assert.equal(bridge.Attachable, undefined);
});
