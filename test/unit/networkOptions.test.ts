import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listeningCheckArgv } from '../../activities/docker/health';
import { networkCreateOptions } from '../../activities/docker/networks';

test('an application network is a labelled bridge with the blueprint subnet', () => {
  assert.deepEqual(networkCreateOptions('shop', { id: 'backend', driver: 'bridge', cidr: '10.66.1.0/24', gateway: '10.66.1.1', labels: { tier: 'db' } }), {
    Name: 'shop.backend',
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { tier: 'db', 'io.clocker.managed': 'true', 'io.clocker.app': 'shop', 'io.clocker.network': 'backend' },
    IPAM: { Driver: 'default', Config: [{ Subnet: '10.66.1.0/24', Gateway: '10.66.1.1' }] },
  });
});

test('without a CIDR Docker picks the subnet', () => {
  assert.equal('IPAM' in networkCreateOptions('shop', { id: 'front', driver: 'bridge', labels: {} }), false);
});

test('the in-container port check greps /proc/net/tcp for a LISTEN socket on the port in hex', () => {
  assert.deepEqual(listeningCheckArgv(5432), ['grep', '-qsE', '^ *[0-9]+: [0-9A-F]+:1538 [0-9A-F]+:[0-9A-F]+ 0A ', '/proc/net/tcp', '/proc/net/tcp6']);
});
