// A routed network's bridge on one host: Docker's create options, exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkCreateOptions } from '../../../activities/docker/networks';
import { blockGateway } from '../../../domain/network/routedBlocks';

test("a routed network is a bridge on the host's block, named like a bridge network, with masquerading off", () => {
  const block = '10.9.0.32/27';
  const options = networkCreateOptions('shop', { id: 'mesh', driver: 'routed', cidr: block, gateway: blockGateway(block), labels: { team: 'a' } });
  assert.equal(options.Name, 'shop.mesh');
  assert.equal(options.Driver, 'bridge');
  assert.deepEqual(options.Options, { 'com.docker.network.bridge.enable_ip_masquerade': 'false' });
  assert.equal(options.Attachable, undefined);
  assert.deepEqual(options.IPAM?.Config?.[0] && { Subnet: options.IPAM.Config[0].Subnet, Gateway: options.IPAM.Config[0].Gateway }, { Subnet: block, Gateway: '10.9.0.33' });
  assert.equal(options.Labels?.['team'], 'a');
});
