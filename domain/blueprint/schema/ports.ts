// Ports: "8080:80", "80", "8080:80/udp", a number (opened, not published), or the long form.
import { z } from 'zod';
import type { PortSpec } from '../model';
import { port } from './primitives';

const shortPort = /^(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/;

function parseShortPort(text: string): PortSpec {
  const [, host, container, protocol] = shortPort.exec(text) ?? [];
  const spec: PortSpec = { containerPort: Number(container), protocol: protocol === 'udp' ? 'udp' : 'tcp' };
  if (host !== undefined) spec.hostPort = Number(host);
  return spec;
}

const longPort = z
  .strictObject({
    containerPort: port,
    /** 0 publishes on any free host port. */
    hostPort: z.number().int().min(0).max(65535).optional(),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
  })
  .transform((p): PortSpec => (p.hostPort === undefined ? { containerPort: p.containerPort, protocol: p.protocol } : p));

export const portSpec = z.union([
  z
    .string()
    .regex(shortPort, { message: 'expected a port like "80", "8080:80" or "8080:80/udp"', abort: true })
    .refine((text) => {
      const p = parseShortPort(text);
      return p.containerPort >= 1 && p.containerPort <= 65535 && (p.hostPort ?? 0) <= 65535;
    }, 'port numbers must be between 1 and 65535')
    .transform(parseShortPort),
  port.transform((containerPort): PortSpec => ({ containerPort, protocol: 'tcp' })),
  longPort,
]);
