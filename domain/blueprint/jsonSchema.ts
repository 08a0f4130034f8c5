// The published JSON Schema (`clocker schema`), generated from the same zod schema the loader
// validates with. It describes the native form as written (short forms included); editors
// using the YAML language server complete and check blueprints with it.
import { z } from 'zod';
import { blueprintSpec } from './schema/blueprint';

export const blueprintSchemaId = 'https://clocker.io/schemas/blueprint.json';

export function blueprintJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(blueprintSpec, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: blueprintSchemaId, title: 'Clocker on Temporal application blueprint' };
}
