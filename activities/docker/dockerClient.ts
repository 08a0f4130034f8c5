// The one Docker client factory: every activity gets its dockerode instance here, one per
// endpoint, reused across calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { DockerEndpoint } from '../../domain/infra/model';
import { clientCertFolder } from '../provisioning/certFolder';
import { createSecretStore } from '../secrets/secretStore';

export type DockerClientFactory = (endpoint: DockerEndpoint) => Docker;

export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'socket'
    ? `unix://${endpoint.socketPath}`
    : `${endpoint.tls ? 'https' : 'tcp'}://${endpoint.host}:${endpoint.port}`;
}

/** A client nobody asked for this long is dropped: hosts come and go, a worker lives for months. */
const IDLE_CLIENT_MS = 10 * 60_000;

export function createDockerClientFactory(now: () => number = Date.now): DockerClientFactory & { size(): number } {
  const clients = new Map<string, { client: Docker; usedAt: number }>();
  let sweptAt = now();
  const factory = (endpoint: DockerEndpoint) => {
    const at = now();
    // Clients of hosts no longer used (a destroyed infrastructure, a replaced host) go, with the
    // certificates they hold; whoever still holds one keeps using it, a new caller gets a fresh one.
    if (at - sweptAt >= IDLE_CLIENT_MS / 10) {
      sweptAt = at;
      for (const [key, c] of clients) if (at - c.usedAt >= IDLE_CLIENT_MS) clients.delete(key);
    }
    const key = JSON.stringify(endpoint);
    const known = clients.get(key);
    if (known) {
      known.usedAt = at;
      return known.client;
    }
    const client = new Docker(connectOptions(endpoint));
    clients.set(key, { client, usedAt: at });
    return client;
  };
  return Object.assign(factory, { size: () => clients.size });
}

function connectOptions(endpoint: DockerEndpoint): Docker.DockerOptions {
  if (endpoint.kind === 'socket') return { socketPath: endpoint.socketPath };
  if (!endpoint.tls) return { protocol: 'http', host: endpoint.host, port: endpoint.port };
  // The reference names a folder with ca.pem, cert.pem, key.pem (as DOCKER_CERT_PATH does), or
  // an infrastructure whose folder this worker remakes from the CA seed (certFolder.ts); the
  // key material is read here, at the edge, and never travels through workflow history.
  const dir = clientCertFolder(endpoint.tls.certRef, createSecretStore());
  return {
    protocol: 'https',
    host: endpoint.host,
    port: endpoint.port,
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    key: readFileSync(join(dir, 'key.pem')),
  };
}

/** The local engine: DOCKER_HOST when it is a unix socket, else the standard socket. */
export function localDockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost?.startsWith('unix://')) return { kind: 'socket', socketPath: dockerHost.slice('unix://'.length) };
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return { kind: 'tcp', host: url.hostname, port: Number(url.port || 2375) };
  }
  return { kind: 'socket', socketPath: '/var/run/docker.sock' };
}
