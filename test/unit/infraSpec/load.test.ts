// The infra file loader: defaults, spares, and every error at its line:column.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatDiagnostics } from '../../../domain/blueprint/diagnostic';
import { loadInfraDefinition } from '../../../domain/infraSpec/load';

test('a byon file: host defaults from the byon block, spares apart, global defaults', () => {
  const text = ['name: lab', 'location:', '  byon:', '    user: admin', '    key: /keys/id', '    hosts:', '      - { id: h1, address: 10.0.0.1, zone: z1 }', '      - { id: h2, address: 10.0.0.2, port: 2222, spare: true }', ''].join('\n');
  const result = loadInfraDefinition(text, 'infra.yaml');
  assert.ok(result.ok, JSON.stringify(result));
  const d = result.definition;
  assert.equal(d.location, 'byon');
  if (d.location !== 'byon') return;
  assert.deepEqual(d.hosts, [{ id: 'h1', address: '10.0.0.1', port: 22, user: 'admin', keyRef: '/keys/id', labels: {}, maxContainers: 100, root: '', zone: 'z1' }]);
  assert.deepEqual(d.spares.map((h) => [h.id, h.port]), [['h2', 2222]]);
  assert.deepEqual(d.provisioning.monitoring, { intervalSeconds: 10, failureThreshold: 3 });
  assert.equal(d.provisioning.drainTimeoutSeconds, 300);
});

test('`location: local` is the worker machine\'s engine', () => {
  const result = loadInfraDefinition('name: here\nlocation: local\n', 'f.yaml');
  assert.ok(result.ok);
  assert.deepEqual(result.definition, {
    name: 'here',
    location: 'local',
    policy: { binds: [], blueprintFolder: true, privileged: false, capAdd: [], hostPid: false },
  });
});

test('every error at once, with file:line:column', () => {
  const text = [
    'name: lab',
    'location:',
    '  byon:',
    '    key: id_rsa',
    '    hosts:',
    '      - { id: h1, address: 10.0.0.1, colour: red }',
    '      - { id: h1, address: 10.0.0.1 }',
    'monitoring: { intervalSeconds: 0 }',
    '',
  ].join('\n');
  const result = loadInfraDefinition(text, 'infra.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(
    formatDiagnostics(result.errors),
    [
      'infra.yaml:4:10: error: location.byon.key: must be `$secret:NAME` or a path to a private key file (absolute, `~/…` or `./…`)',
      'infra.yaml:6:38: error: location.byon.hosts[0].colour: unknown key "colour"',
      'infra.yaml:8:32: error: monitoring.intervalSeconds: Too small: expected number to be >=1',
    ].join('\n'),
  );
});

test('cross checks: repeated ids and addresses; cloud providers are a seam with none built', () => {
  const dup = loadInfraDefinition('name: lab\nlocation:\n  byon:\n    hosts:\n      - { id: h1, address: a }\n      - { id: h1, address: a }\n', 'f.yaml');
  assert.equal(dup.ok, false);
  if (!dup.ok) {
    assert.deepEqual(dup.errors.map((e) => `${e.line}:${e.column} ${e.message}`), ['6:15 id "h1" is already used by hosts[0]', '6:28 address "a" is already used by hosts[0]']);
  }
  const cloud = loadInfraDefinition('name: lab\nlocation:\n  cloud: { provider: aws }\n', 'f.yaml');
  assert.equal(cloud.ok, false);
  if (!cloud.ok) assert.equal(cloud.errors[0]?.message, 'no cloud provider "aws" (none is built yet); use byon hosts');
});

test('the example infra file loads', () => {
  const result = loadInfraDefinition(readFileSync('examples/infra/byon.yaml', 'utf8'), 'examples/infra/byon.yaml');
  assert.ok(result.ok, result.ok ? '' : formatDiagnostics(result.errors));
});
