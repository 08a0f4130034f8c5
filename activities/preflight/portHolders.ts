// Who holds a host port: a container published on it (another application's, or one Clocker
// does not manage), and, when the engine is this machine's own socket, any other process
// (tried by binding the port for a moment).
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type Docker from 'dockerode';
import { LABEL } from '../../domain/naming';
import type { PublishedPort } from '../../domain/application/preflightProblems';

/** `port/protocol` → who publishes it, from the engine's running containers. */
export async function publishedPorts(docker: Docker): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (const c of await docker.listContainers()) {
    const name = (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
    const app = c.Labels?.[LABEL.app];
    const holder = app ? `container ${name} of application "${app}"` : `container ${name}`;
    for (const p of c.Ports ?? []) if (p.PublicPort) held.set(`${p.PublicPort}/${p.Type}`, holder);
  }
  return held;
}

/** True when binding the port on every address fails because something holds it. */
export async function heldLocally(port: PublishedPort): Promise<boolean> {
  return new Promise((resolve) => {
    const busy = (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE');
    if (port.protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', (err) => (socket.close(), busy(err)));
      socket.bind(port.port, '0.0.0.0', () => socket.close(() => resolve(false)));
      return;
    }
    const server = createServer();
    server.once('error', busy);
    server.listen({ port: port.port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(false)));
  });
}
