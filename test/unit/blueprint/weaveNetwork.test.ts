// The seeds' Weave spellings run as Docker's swarm overlay, each with one notice at its position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlueprint } from '../../../domain/blueprint/load';

test('driver: weave becomes overlay with one notice at the driver', () => {
  const text = ['name: mesh', 'location: rig', 'networks:', '  - id: mesh', '    driver: weave', 'services:', '  - id: web', '    image: web:1', '    networks: [mesh]', ''].join('\n');
  const result = loadBlueprint(text, 'mesh.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.blueprint.networks.find((n) => n.id === 'mesh')?.driver, 'overlay');
  const notices = result.warnings.filter((w) => w.code === 'network-driver-mapped');
  assert.equal(notices.length, 1, JSON.stringify(result.warnings));
  assert.equal(notices[0]?.line, 5);
  assert.match(notices[0]?.message ?? '', /"weave" runs as Docker's "overlay" driver/);
});

test("Clocker 1.x `provider: weave` on a VirtualNetwork becomes an overlay network, with one notice", () => {
  const text = [
    'name: seed-mesh',
    'location: rig',
    'services:',
    '  - type: brooklyn.networking.VirtualNetwork',
    '    networkId: mesh',
    '    provider: Weave',
    '  - type: docker:clocker/busybox:1',
    '    id: web',
    '    brooklyn.config:',
    '      docker.networks: [mesh]',
    '',
  ].join('\n');
  const result = loadBlueprint(text, 'seed.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.blueprint.networks.find((n) => n.id === 'mesh')?.driver, 'overlay');
  assert.equal(result.warnings.filter((w) => w.code === 'network-driver-mapped').length, 1, JSON.stringify(result.warnings));
});

test('driver: calico becomes routed with one notice at the driver, and so does Clocker 1.x `provider: calico`', () => {
  const text = ['name: mesh', 'location: rig', 'networks:', '  - id: mesh', '    driver: calico', 'services:', '  - id: web', '    image: web:1', '    networks: [mesh]', ''].join('\n');
  const result = loadBlueprint(text, 'mesh.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.blueprint.networks.find((n) => n.id === 'mesh')?.driver, 'routed');
  const notices = result.warnings.filter((w) => w.code === 'network-driver-mapped');
  assert.equal(notices.length, 1, JSON.stringify(result.warnings));
  assert.equal(notices[0]?.line, 5);
  assert.match(notices[0]?.message ?? '', /^driver "calico" runs as Clocker's "routed" driver \(pure L3/);
  const seed = ['name: seed-mesh', 'location: rig', 'services:', '  - type: brooklyn.networking.VirtualNetwork', '    networkId: mesh', '    provider: Calico', '  - type: docker:clocker/busybox:1', '    id: web', '    brooklyn.config:', '      docker.networks: [mesh]', ''].join('\n');
  const fromSeed = loadBlueprint(seed, 'seed.yaml');
  assert.ok(fromSeed.ok, JSON.stringify(fromSeed));
  assert.equal(fromSeed.blueprint.networks.find((n) => n.id === 'mesh')?.driver, 'routed');
  assert.equal(fromSeed.warnings.filter((w) => w.code === 'network-driver-mapped').length, 1, JSON.stringify(fromSeed.warnings));
});
