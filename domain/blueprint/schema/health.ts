// Health probes: tcp (port accepts), http (status on a path), exec (command exits 0).
import { z } from 'zod';
import type { HealthCheck } from '../model';
import { argv, duration, port } from './primitives';

export const healthSpec = z
  .strictObject({
    type: z.enum(['tcp', 'http', 'exec']),
    port: port.optional(),
    path: z.string().startsWith('/', 'must start with "/"').default('/'),
    expectStatus: z.number().int().min(100).max(599).default(200),
    command: argv.optional(),
    interval: duration.default(10_000),
    timeout: duration.default(5_000),
    retries: z.number().int().min(0).default(3),
    startPeriod: duration.default(0),
    startInterval: duration.optional(),
  })
  .superRefine((h, ctx) => {
    if (h.type !== 'exec' && h.port === undefined) ctx.addIssue({ code: 'custom', path: ['port'], message: `the ${h.type} probe needs "port"`, input: undefined });
    if (h.type === 'exec' && (h.command === undefined || h.command.length === 0)) ctx.addIssue({ code: 'custom', path: ['command'], message: 'an exec probe needs "command"', input: undefined });
  })
  .transform((h): HealthCheck => {
    const timing = { intervalMs: h.interval, timeoutMs: h.timeout, retries: h.retries, startPeriodMs: h.startPeriod, ...(h.startInterval !== undefined && { startIntervalMs: h.startInterval }) };
    if (h.type === 'exec') return { probe: { kind: 'exec', command: h.command ?? [] }, ...timing };
    if (h.type === 'tcp') return { probe: { kind: 'tcp', port: h.port ?? 0 }, ...timing };
    return { probe: { kind: 'http', port: h.port ?? 0, path: h.path, expectStatus: h.expectStatus }, ...timing };
  });
