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
  /** No default: a network that names no driver gets its infrastructure's (bridge on one host, overlay on several). */
  driver: z.enum(['bridge', 'overlay', 'routed', 'weave', 'calico']).optional(),
  shared: z.boolean().default(false),
  addIptablesRules: z.boolean().default(false),
  /** Overlay networks only: IPsec between hosts. */
  encrypted: z.boolean().optional(),
  labels: stringMap.default({}),
});

export type RawNetwork = z.output<typeof networkSpec>;
