// Every example validates; the JSON Schema is generated from the same schema and accepts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { formatDiagnostic } from '../../../domain/blueprint/diagnostic';
import { blueprintJsonSchema } from '../../../domain/blueprint/jsonSchema';
import { loadBlueprintOrCompose } from '../../../domain/blueprint/loadAny';
import { summary } from '../../../domain/blueprint/summary';
import { example, examplesDir } from './helpers';

const summaries: Record<string, string> = {
  'web-cluster.yaml': 'web-cluster: 3 services, 5 containers, 1 network; start order: db → web → lb',
  'network-seed.yaml': 'database-app: 2 services, 2 containers, 2 networks; start order: bind-server → db',
  'clocker1.yaml': 'clocker-redis-demo: 2 services, 2 containers, 1 network; start order: redis → app',
  'docker-compose.yaml': 'compose-shop: 2 services, 3 containers, 1 network; start order: db → web',
  'three-tier-hosts.yaml': 'three-tier-hosts: 3 services, 5 containers, 1 network; start order: db → web → lb',
};

for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'))) {
  test(`examples/${file} validates`, () => {
    const result = loadBlueprintOrCompose(example(file), file);
    assert.ok(result.ok, result.ok ? '' : result.errors.map((d) => formatDiagnostic(d)).join('\n'));
    if (summaries[file] !== undefined) assert.equal(summary(result.blueprint), summaries[file]);
  });
}

test('the JSON Schema describes the native blueprint, short forms included', () => {
  const schema = blueprintJsonSchema() as { $id: string; required: string[]; properties: Record<string, unknown>; additionalProperties: boolean };
  assert.equal(schema.$id, 'https://clocker.io/schemas/blueprint.json');
  assert.deepEqual(schema.required, ['name', 'services']);
  assert.deepEqual(Object.keys(schema.properties), ['name', 'description', 'location', 'config', 'networks', 'services']);
  assert.equal(schema.additionalProperties, false);
  const text = JSON.stringify(schema);
  for (const field of ['dependsOn', 'cluster', 'health', 'placement', 'autoscaler', 'addIptablesRules', 'dnsServers', 'containerPort', 'startPeriod']) {
    assert.ok(text.includes(`"${field}"`), `schema mentions ${field}`);
  }
  assert.ok(text.includes('least-cpu'));
});
