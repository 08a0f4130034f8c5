// Network probes from the worker to a member's published ports.
import { Socket } from 'node:net';

/**
 * How long a silent connection must stay open before it counts, when nothing behind the port
 * could be asked (see `probeTcp`). Docker's userland proxy refuses within a few ms when idle,
 * but a loaded host was seen taking over 250 ms: this bound is a heuristic, the confirmation is not.
 */
export const SETTLE_MS = 300;

/** What the published port itself answered, before anything behind it was asked. */
export type PortAnswer = 'refused' | 'hung up';

/** Who can say what is behind a published port, by another path than the port itself. */
export interface BehindPort {
  /** '' something listens, a problem when nothing does, undefined when it cannot tell (unreachable, no tool in the image). */
  ask(): Promise<string | undefined>;
  /** Told when the port refused the connection, or accepted it and closed at once (portPaths.ts learns from both). */
  heard?(answer: PortAnswer): void;
}

/**
 * '' when the port accepts a connection that stays open. Why "stays open": Docker's userland
 * proxy accepts on the host port even when nothing listens inside, then closes at once. So a
 * connection counts as soon as the peer speaks (data), or as soon as `behind` confirms that
 * something listens behind the port; only when there is no way to ask does it have to stay
 * open for SETTLE_MS. A close or reset first is a failure, whatever `behind` says.
 */
export function probeTcp(host: string, port: number, timeoutMs: number, behind?: BehindPort): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let done = false;
    const finish = (outcome: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(outcome);
    };
    let connectedAt: number | undefined;
    const settle = (waitMs: number) => setTimeout(() => finish(''), waitMs);
    // Silent past the settle while `behind` had no answer yet: it stayed open, as it must.
    socket.setTimeout(timeoutMs, () => finish(connectedAt !== undefined && Date.now() - connectedAt >= SETTLE_MS ? '' : 'connect timed out'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (!done && err.code === 'ECONNREFUSED') behind?.heard?.('refused');
      finish(err.message);
    });
    socket.once('data', () => finish(''));
    socket.once('end', () => {
      if (!done) behind?.heard?.('hung up');
      finish('closed by peer right after connect');
    });
    socket.connect(port, host, () => {
      const at = (connectedAt = Date.now());
      if (!behind) return void settle(SETTLE_MS);
      const rest = () => settle(Math.max(0, SETTLE_MS - (Date.now() - at)));
      behind.ask().then((answer) => (answer === undefined ? rest() : finish(answer)), rest);
    });
  });
}

/**
 * `behind` for an engine on this machine: a connection straight to the container's address
 * (what the proxy itself dials). Accepted: something listens. Refused: nothing does. Anything
 * else (the worker cannot route there, e.g. it runs in another container): cannot tell.
 */
export function directListener(addresses: string[], port: number, timeoutMs: number): BehindPort {
  return {
    async ask() {
      const answers = await Promise.all(addresses.map((a) => tcpConnect(a, port, timeoutMs)));
      if (answers.includes('open')) return '';
      if (answers.length > 0 && answers.every((a) => a === 'refused')) return `nothing listens on port ${port} inside the container (its published port accepted for it)`;
      return undefined;
    },
  };
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<'open' | 'refused' | 'unknown'> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (answer: 'open' | 'refused' | 'unknown') => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => finish('unknown'));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
    socket.connect(port, host, () => finish('open'));
  });
}

/** '' when GET answers with the expected status. */
export async function probeHttp(url: string, expectStatus: number, timeoutMs: number): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer();
    return res.status === expectStatus ? '' : `GET ${url} answered ${res.status}, expected ${expectStatus}`;
  } catch (err) {
    return `GET ${url}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`;
  }
}
