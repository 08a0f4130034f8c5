// Free ports for servers a test starts, chosen below the kernel's ephemeral range: a port the
// kernel handed out (listen on 0) goes back to the pool the moment the probe closes, and any
// outgoing connection of the three test groups beside may take it before the server binds it
// (CI saw `clocker up`'s second start refused: "can't set UI port …: address already in use").
// Below the range only another listener can take it, and the pick is random so the groups'
// picks rarely meet; a port held by anyone is seen by the bind and skipped.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 20_000;

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1_000 ? first : 32_768;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 32_768;
    throw err;
  }
}

/** Whether nothing listens on the port, on any address (Docker publishes on 0.0.0.0). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err)));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  for (let tries = 0; tries < 200; tries++) {
    const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${top - 1} after 200 tries`);
}
