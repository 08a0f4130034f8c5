// Placement (rankers and filter constraints for the scheduler) and policies (autoscaler,
// restarter, replacer): modelled and validated here; the scheduler and policy loops act.
import { z } from 'zod';
import type { PlacementSpec, PolicySpec } from '../model';
import { duration, listOf, port, stringMap } from './primitives';

const strategy = z.enum(['random', 'depth-first', 'breadth-first', 'least-cpu', 'least-memory', 'fewest-containers']);

export const placementSpec = z
  .strictObject({
    strategy: listOf(strategy).default([]),
    constraints: z
      .strictObject({
        labels: stringMap.default({}),
        region: listOf(z.string().min(1)).default([]),
        zone: listOf(z.string().min(1)).default([]),
        maxPerHost: z.number().int().min(1).optional(),
        maxPerZone: z.number().int().min(1).optional(),
        predicate: z.string().min(1, 'must not be empty').optional(),
      })
      .default({ labels: {}, region: [], zone: [] }),
  })
  .transform((p): PlacementSpec => {
    const { region, zone, ...rest } = p.constraints;
    return { strategies: p.strategy, constraints: { ...rest, regions: region, zones: zone } };
  });

/** Metrics the engine's stats give; any other name is read from the members' `source` endpoint. */
export const ENGINE_METRICS = ['cpu', 'memory'];

const autoscaler = z
  .strictObject({
    metric: z.string().min(1).default('cpu'),
    lowThreshold: z.number(),
    highThreshold: z.number(),
    minSize: z.number().int().min(0).optional(),
    maxSize: z.number().int().min(1).optional(),
    /** Both delays default to it (Brooklyn's single `stabilization`). */
    stabilization: duration.default(60_000),
    growAfter: duration.optional(),
    shrinkAfter: duration.optional(),
    step: z.number().int().min(1).default(1),
    period: duration.default(10_000),
    /** Where a custom metric is read: a published container port and an HTTP path. */
    source: z.strictObject({ port, path: z.string().startsWith('/', 'must start with "/"').default('/metrics') }).optional(),
  })
  .refine((a) => a.lowThreshold < a.highThreshold, { message: 'lowThreshold must be below highThreshold', path: ['lowThreshold'] })
  .refine((a) => ENGINE_METRICS.includes(a.metric) || a.source !== undefined, {
    message: 'a custom metric needs "source: {port, path}" (the members\' HTTP endpoint that answers it)',
    path: ['metric'],
  })
  .refine((a) => !ENGINE_METRICS.includes(a.metric) || a.source === undefined, { message: 'cpu and memory come from the engine\'s stats: "source" is for custom metrics', path: ['source'] });

export const policySpec = z
  .strictObject({
    autoscaler: autoscaler.optional(),
    restarter: z.strictObject({ maxRestarts: z.number().int().min(0).default(3), window: duration.default(300_000) }).optional(),
    replacer: z.strictObject({ failureThreshold: z.number().int().min(1).default(3), avoidFailedHost: z.boolean().default(true) }).optional(),
  })
  .default({});

/** Autoscaler bounds default to the service's cluster size, known only with the whole service. */
export function policiesWithSize(p: z.output<typeof policySpec>, size: { min: number; max: number }): PolicySpec {
  const out: PolicySpec = {};
  if (p.autoscaler) {
    const { stabilization, period, growAfter, shrinkAfter, ...a } = p.autoscaler;
    out.autoscaler = {
      ...a,
      minSize: a.minSize ?? size.min,
      maxSize: a.maxSize ?? size.max,
      stabilizationMs: stabilization,
      growAfterMs: growAfter ?? stabilization,
      shrinkAfterMs: shrinkAfter ?? stabilization,
      periodMs: period,
    };
  }
  if (p.restarter) out.restarter = { maxRestarts: p.restarter.maxRestarts, windowMs: p.restarter.window };
  if (p.replacer) out.replacer = p.replacer;
  return out;
}
