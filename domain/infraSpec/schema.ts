// The infra file's shape (zod). Defaults live here; cross-field rules in crossChecks.ts.
import { z } from 'zod';
import { durationMs, durationPattern } from '../blueprint/units';

const name = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, "must start with a letter or digit, then letters, digits, '_' or '-'").max(63);
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const labels = z.record(z.string(), text);
/** `$secret:NAME` or a path on the worker's machine. */
const keyRef = z.string().regex(/^(\$secret:[A-Za-z0-9_.-]+|\/.+|~\/.+|\..*\/.+)$/, 'must be `$secret:NAME` or a path to a private key file (absolute, `~/…` or `./…`)');
const cidr = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'must be an address with a prefix length, e.g. 10.214.1.1/24');

/** Milliseconds from "10m", "1m30s", "500ms" or a number of seconds; one message for every wrong form. */
const duration = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number' && value >= 0) return Math.round(value * 1000);
  if (typeof value === 'string' && durationPattern.test(value)) return durationMs(value);
  ctx.addIssue({ code: 'custom', message: 'expected a duration like "10m", "30s", "1m30s" or a number of seconds' });
  return z.NEVER;
});

const hostDefaults = {
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).optional(),
  key: keyRef.optional(),
  root: z.string().regex(/^\/.*/, 'must be an absolute path').optional(),
  maxContainers: z.number().int().min(1).optional(),
};

export const byonHostSchema = z.strictObject({
  id: name,
  address: z.string().min(1),
  labels: labels.optional(),
  region: z.string().min(1).optional(),
  zone: z.string().min(1).optional(),
  spare: z.boolean().optional(),
  bip: cidr.optional(),
  ...hostDefaults,
});

const byonSchema = z.strictObject({ ...hostDefaults, hosts: z.array(byonHostSchema).min(1, 'must list at least one host') });

export const locationSchema = z.union([
  z.literal('local'),
  z.strictObject({ byon: byonSchema }),
  z.strictObject({ cloud: z.strictObject({ provider: z.string() }).passthrough() }),
]);

export const infraFileSchema = z.strictObject({
  name,
  location: locationSchema,
  docker: z
    .strictObject({
      logDriver: z.string().min(1).optional(),
      logOpts: labels.optional(),
      registryMirrors: z.array(z.string().url()).optional(),
      insecureRegistries: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  monitoring: z
    .strictObject({
      intervalSeconds: z.number().min(1).optional(),
      failureThreshold: z.number().int().min(1).optional(),
    })
    .optional(),
  drainTimeoutSeconds: z.number().min(0).optional(),
  /** Keep a share of capacity free with the byon spares; durations as in blueprints ("10m", "30s", or seconds). */
  headroom: z
    .strictObject({
      free: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (a share of capacity, e.g. 0.25)'),
      releaseAfter: duration.optional(),
      check: duration.optional(),
    })
    .optional(),
  /** What blueprints may do to the hosts (domain/infra/hostPolicy.ts); absent settings keep their defaults. */
  policy: z
    .strictObject({
      binds: z
        .array(
          z.union([
            z.string().regex(/^\//, 'must be an absolute host path').transform((path) => ({ path, readOnly: false })),
            z.strictObject({ path: z.string().regex(/^\//, 'must be an absolute host path'), readOnly: z.boolean().default(false) }),
          ]),
        )
        .optional(),
      blueprintFolder: z.boolean().optional(),
      privileged: z.boolean().optional(),
      capAdd: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected a capability name like NET_ADMIN, or ALL')).optional(),
      hostPid: z.boolean().optional(),
    })
    .optional(),
});

export type InfraFile = z.infer<typeof infraFileSchema>;
export type ByonHostFile = z.infer<typeof byonHostSchema>;
