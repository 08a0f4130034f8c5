// The whole native blueprint: the one source of truth for the shape. The validator and the
// published JSON Schema both come from it.
import { z } from 'zod';
import { networkSpec } from './network';
import { appName, scalarText } from './primitives';
import { serviceSpec } from './service';

export const blueprintSpec = z.strictObject({
  name: appName,
  description: z.string().optional(),
  location: appName.default('local'),
  config: z.record(z.string(), scalarText).default({}),
  networks: z.array(networkSpec).default([]),
  services: z.array(serviceSpec).min(1, 'a blueprint needs at least one service'),
});

export type RawBlueprint = z.output<typeof blueprintSpec>;
