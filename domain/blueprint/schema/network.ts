// A network the application declares (the seed's VirtualNetwork, normalized).
import { z } from 'zod';
import { id, stringMap } from './primitives';

export const networkSpec = z.strictObject({
  id,
  description: z.string().optional(),
  cidr: z.cidrv4('expected an IPv4 CIDR like "192.168.34.0/24"').optional(),
  gateway: z.ipv4('expected an IPv4 address').optional(),
  /** Addresses or references (`${dns.host.address}`), parsed by the model builder. */
  dnsServers: z.array(z.string()).default([]),
  driver: z.enum(['bridge', 'overlay', 'routed', 'weave', 'calico']).default('bridge'),
  shared: z.boolean().default(false),
  addIptablesRules: z.boolean().default(false),
  labels: stringMap.default({}),
});

export type RawNetwork = z.output<typeof networkSpec>;
