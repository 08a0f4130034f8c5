// The infra file's `headroom:`: durations as blueprints write them, defaults, and refusals at
// their line:column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostics } from '../../../domain/blueprint/diagnostic';
import { loadInfraDefinition } from '../../../domain/infraSpec/load';

const byon = ['name: lab', 'location:', '  byon:', '    hosts:', '      - { id: h1, address: 10.0.0.1 }', '      - { id: h2, address: 10.0.0.2, spare: true }'];

test('headroom: the share, durations in blueprint form, defaults for the rest', () => {
  const full = loadInfraDefinition([...byon, 'headroom: { free: 0.25, releaseAfter: 10m, check: 30s }', ''].join('\n'), 'infra.yaml');
  assert.ok(full.ok && full.definition.location === 'byon', JSON.stringify(full));
  assert.deepEqual(full.definition.provisioning.headroom, { free: 0.25, releaseAfterMs: 600_000, checkMs: 30_000 });
  const short = loadInfraDefinition([...byon, 'headroom: { free: 0.5, releaseAfter: 5 }', ''].join('\n'), 'infra.yaml');
  assert.ok(short.ok && short.definition.location === 'byon');
  assert.deepEqual(short.definition.provisioning.headroom, { free: 0.5, releaseAfterMs: 5_000, checkMs: 30_000 });
  const none = loadInfraDefinition([...byon, ''].join('\n'), 'infra.yaml');
  assert.ok(none.ok && none.definition.location === 'byon');
  assert.equal(none.definition.provisioning.headroom, undefined);
});

test('headroom refused: a share out of (0, 1), a bad duration, a zero check, a local location', () => {
  const text = [...byon, 'headroom:', '  free: 1', '  releaseAfter: soon', ''].join('\n');
  const bad = loadInfraDefinition(text, 'infra.yaml');
  assert.ok(!bad.ok);
  assert.equal(
    formatDiagnostics(bad.errors, text).split('\n').filter((l) => l.startsWith('infra.yaml')).join('\n'),
    [
      'infra.yaml:8:9: error: headroom.free: must be below 1 (a share of capacity, e.g. 0.25)',
      'infra.yaml:9:17: error: headroom.releaseAfter: expected a duration like "10m", "30s", "1m30s" or a number of seconds',
    ].join('\n'),
  );
  const zero = loadInfraDefinition([...byon, 'headroom: { free: 0.3, check: 0 }', ''].join('\n'), 'infra.yaml');
  assert.ok(!zero.ok);
  assert.deepEqual(zero.errors.map((e) => [e.code, e.message]), [['headroom.check', 'must be above 0']]);
  const local = loadInfraDefinition('name: here\nlocation: local\nheadroom: { free: 0.3 }\n', 'f.yaml');
  assert.ok(!local.ok);
  assert.deepEqual(local.errors.map((e) => [e.code, e.message]), [['headroom.byonOnly', 'headroom brings in byon spares: it needs `location: { byon: ... }`']]);
});
