// Ports: "8080:80", "127.0.0.1:8080:80", "80", "8080:80/udp", a number (opened, not
// published), or the long form. A host address binds the published port to that address only.
// (Compose's "80" publishes on a random host port: the Compose importer writes the long form.)
import { z } from 'zod';
import type { PortSpec } from '../model';
import { port } from './primitives';

/** [ip:]host:container or container, each port 1-5 digits; an IPv6 address goes in brackets. */
const shortPort = /^(?:(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):)?(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/;

const isIp = (text: string): boolean => z.ipv4().safeParse(text).success || z.ipv6().safeParse(text).success;

/** An IPv4 or IPv6 address, with one message for both (a union would name only the closer one). */
export const hostIp = z.string().refine(isIp, 'expected an IPv4 or IPv6 address');

function parseShortPort(text: string): PortSpec {
  const [, ip, host, container, protocol] = shortPort.exec(text) ?? [];
  const spec: PortSpec = { containerPort: Number(container), protocol: protocol === 'udp' ? 'udp' : 'tcp' };
  if (host !== undefined) spec.hostPort = Number(host);
  if (ip !== undefined) spec.hostIp = ip.replace(/^\[|\]$/g, '');
  return spec;
}

const longPort = z
  .strictObject({
    containerPort: port,
    /** 0 publishes on any free host port. */
    hostPort: z.number().int().min(0).max(65535).optional(),
    /** Bind the published port to this host address only (needs hostPort). */
    hostIp: hostIp.optional(),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
  })
  .refine((p) => p.hostIp === undefined || p.hostPort !== undefined, { message: 'hostIp needs hostPort (0: any free port)', path: ['hostIp'] })
  .transform((p): PortSpec => {
    const spec: PortSpec = { containerPort: p.containerPort, protocol: p.protocol };
    if (p.hostPort !== undefined) spec.hostPort = p.hostPort;
    if (p.hostIp !== undefined) spec.hostIp = p.hostIp;
    return spec;
  });

export const portSpec = z.union([
  z
    .string()
    .regex(shortPort, { message: 'expected a port like "80", "8080:80" or "8080:80/udp"', abort: true })
    .refine((text) => {
      const p = parseShortPort(text);
      return p.containerPort >= 1 && p.containerPort <= 65535 && (p.hostPort ?? 0) <= 65535;
    }, 'port numbers must be between 1 and 65535')
    .refine((text) => {
      const ip = parseShortPort(text).hostIp;
      return ip === undefined || hostIp.safeParse(ip).success;
    }, 'the host address must be an IPv4 or IPv6 address')
    .transform(parseShortPort),
  port.transform((containerPort): PortSpec => ({ containerPort, protocol: 'tcp' })),
  longPort,
]);
