import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listeningCheckArgv } from '../../activities/docker/health';
import { dockerRange, networkCreateOptions } from '../../activities/docker/networks';

test('an application network is a labelled bridge with the blueprint subnet', () => {
  assert.deepEqual(networkCreateOptions('shop', { id: 'backend', driver: 'bridge', cidr: '10.66.1.0/24', gateway: '10.66.1.1', labels: { tier: 'db' } }), {
    Name: 'shop.backend',
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { tier: 'db', 'io.clocker.managed': 'true', 'io.clocker.app': 'shop', 'io.clocker.network': 'backend' },
    IPAM: { Driver: 'default', Config: [{ Subnet: '10.66.1.0/24', Gateway: '10.66.1.1', IPRange: '10.66.1.128/25' }] },
  });
});

test('without a CIDR Docker picks the subnet', () => {
  assert.equal('IPAM' in networkCreateOptions('shop', { id: 'front', driver: 'bridge', labels: {} }), false);
});

test('the in-container port check greps /proc/net/tcp for a LISTEN socket on the port in hex', () => {
  assert.deepEqual(listeningCheckArgv(5432), ['grep', '-qsE', '^ *[0-9]+: [0-9A-F]+:1538 [0-9A-F]+:[0-9A-F]+ 0A ', '/proc/net/tcp', '/proc/net/tcp6']);
});

test("Docker's own picks stay in the upper half of an IPv4 subnet (members' addresses come from IPAM, counting up from the bottom)", () => {
  assert.equal(dockerRange('10.128.3.0/24'), '10.128.3.128/25');
  assert.equal(dockerRange('10.0.0.0/16'), '10.0.128.0/17');
  assert.equal(dockerRange('10.0.0.0/29'), undefined, 'too small to split');
  assert.equal(dockerRange('fd00::/64'), undefined);
});
