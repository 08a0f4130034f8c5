// The native shape of one service, as an author writes it (short forms accepted).
// Values that may hold references (env, config) stay text here; the model builder parses them.
import { z } from 'zod';
import { healthSpec } from './health';
import { placementSpec, policySpec } from './placementAndPolicies';
import { hostIp, portSpec } from './ports';
import { appName, argv, bytes, id, scalarText, stringMap } from './primitives';
import { reloadSpec } from './reload';
import { volumeSpec } from './volumes';

const envList = z
  .array(z.string().regex(/^[^=\s]+=/, 'expected "NAME=value"'))
  .transform((entries) => Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])));

export const envMap = z.union([z.record(z.string().regex(/^[^=\s]+$/, 'must not be empty or contain "=" or spaces'), scalarText), envList]);

const networkAttachment = z.union([
  id.transform((network) => ({ network, aliases: [] as string[] })),
  z.strictObject({ network: id, aliases: z.array(appName).default([]), ipv4Address: z.ipv4().optional() }),
]);

const size = z.number().int().min(0);

export const serviceSpec = z.strictObject({
  id,
  description: z.string().optional(),
  image: z.string().min(1, 'must not be empty').optional(),
  build: z
    .union([
      z.string().min(1).transform((context) => ({ context })),
      z.strictObject({ context: z.string().min(1), dockerfile: z.string().min(1).optional(), args: stringMap.optional() }),
    ])
    .optional(),
  command: argv.optional(),
  entrypoint: argv.optional(),
  /** The user (name or uid[:gid]) the process runs as. */
  user: z.union([z.string().min(1, 'must not be empty'), z.number().int().min(0).transform(String)]).optional(),
  /** The process's working directory. */
  workingDir: z.string().regex(/^\//, 'must be an absolute path in the container').optional(),
  hostname: z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,252})$/, 'expected a host name (letters, digits, "-" and ".")').optional(),
  /** Run an init process as PID 1 (reaps zombies, forwards signals). */
  init: z.boolean().optional(),
  /** Root on the host: the infrastructure's policy must allow it (policy.privileged). */
  privileged: z.boolean().optional(),
  /** Linux capabilities to add, e.g. NET_ADMIN: each allowed by the policy (policy.capAdd). */
  capAdd: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected a capability name like NET_ADMIN').transform((c) => c.replace(/^CAP_/, ''))).optional(),
  /** `host`: the host's PID namespace (policy.hostPid). */
  pid: z.literal('host').optional(),
  /** The signal `stop` sends first, e.g. SIGINT. */
  stopSignal: z.string().regex(/^(SIG[A-Z0-9+-]+|\d+)$/, 'expected a signal like "SIGINT" or a number').optional(),
  /** Extra /etc/hosts entries: "name:address". */
  extraHosts: z.array(z.string().regex(/^[^:\s]+:[0-9A-Fa-f:.]+$/, 'expected "name:address"')).optional(),
  /** DNS servers for the container, before those of its networks. */
  dns: z.array(hostIp).optional(),
  env: envMap.default({}),
  ports: z.array(portSpec).default([]),
  count: size.optional(),
  cluster: z.strictObject({ initialSize: size.optional(), minSize: size.optional(), maxSize: size.optional() }).optional(),
  volumes: z.array(volumeSpec).default([]),
  networks: z.array(networkAttachment).default([]),
  /** alias → service id (or a `$brooklyn:component("id")` reference). */
  links: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "_" or "-"'), z.string()).default({}),
  labels: stringMap.default({}),
  dependsOn: z.array(id).default([]),
  resources: z.strictObject({ cpus: z.number().positive().optional(), memory: bytes.optional() }).default({}),
  health: healthSpec.optional(),
  /** How a rolling update replaces members: how many at a time, new first or old first. */
  update: z
    .strictObject({
      batch: z.number().int().min(1, 'must be at least 1').default(1),
      order: z.enum(['start-first', 'stop-first']).optional(),
    })
    .optional(),
  /** Run in each running member when a referenced value changes, instead of replacing it. */
  reload: reloadSpec.optional(),
  placement: placementSpec.prefault({}),
  policies: policySpec,
  /** Keys `$brooklyn:config("key")` and `${config:key}` read; the blueprint's `config` is the fallback. */
  config: z.record(z.string(), scalarText).default({}),
});

export type RawService = z.output<typeof serviceSpec>;
