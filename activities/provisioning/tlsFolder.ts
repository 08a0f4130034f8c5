// Where an infrastructure's certificates live on the worker's machine:
//   <CLOCKER_HOME>/infra/<name>/tls/ca/{key.pem,cert.pem}
//   <CLOCKER_HOME>/infra/<name>/tls/client/{ca.pem,cert.pem,key.pem}   ← the DockerEndpoint's certRef
//   <CLOCKER_HOME>/infra/<name>/tls/hosts/<host>/{key.pem,cert.pem,sans.txt}
// Workers that serve one infrastructure must share this folder (one machine, or a shared volume).
import { join } from 'node:path';
import { clockerHome } from '../../client/stateDir';

export interface TlsFolder {
  root: string;
  ca: { key: string; cert: string };
  client: { dir: string; ca: string; key: string; cert: string };
  host(id: string): { dir: string; key: string; cert: string; sans: string };
}

export function tlsFolder(infrastructure: string, home: string = clockerHome()): TlsFolder {
  const root = join(home, 'infra', infrastructure, 'tls');
  const client = join(root, 'client');
  return {
    root,
    ca: { key: join(root, 'ca', 'key.pem'), cert: join(root, 'ca', 'cert.pem') },
    client: { dir: client, ca: join(client, 'ca.pem'), key: join(client, 'key.pem'), cert: join(client, 'cert.pem') },
    host: (id) => {
      const dir = join(root, 'hosts', id);
      return { dir, key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem'), sans: join(dir, 'sans.txt') };
    },
  };
}
