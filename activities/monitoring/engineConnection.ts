// Whether a Docker engine takes new connections right now, on a connection of its own (a
// pooled keep-alive one may still be served by an engine that is stopping). A dockerd that is
// stopping closes its listeners first and only then stops its containers, whose deaths still
// arrive over event streams opened before (seen with dockerd 20.10: refused 50 ms after
// SIGTERM, the deaths 10 s later). So a refusal is evidence about the host, not its members.
import { connect, type Socket } from 'node:net';
import type { DockerEndpoint } from '../../domain/infra/model';

/**
 * `refused`: the host said no (nothing listens there, the socket is gone, the host is
 * unreachable); `silent`: no answer within `timeoutMs`; `error`: this worker could not even try
 * (out of file descriptors, say), which says nothing about the host.
 */
export type EngineConnection = 'open' | 'refused' | 'silent' | 'error';

const REFUSALS = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EHOSTUNREACH']);

export function engineConnection(endpoint: DockerEndpoint, timeoutMs: number): Promise<EngineConnection> {
  return new Promise((resolve) => {
    const socket: Socket = endpoint.kind === 'socket' ? connect({ path: endpoint.socketPath }) : connect({ host: endpoint.host, port: endpoint.port });
    const done = (outcome: EngineConnection) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done('silent'));
    socket.once('connect', () => done('open'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(REFUSALS.has(err.code ?? '') ? 'refused' : 'error'));
  });
}
