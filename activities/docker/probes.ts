// Network probes from the worker to a member's published ports.
import { Socket } from 'node:net';

/**
 * '' when the port accepts a connection that stays open. Why "stays open": Docker's userland
 * proxy accepts on the host port even when nothing listens inside, then closes at once.
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<string> {
  const SETTLE_MS = 300;
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish('connect timed out'));
    socket.once('error', (err) => finish(err.message));
    socket.once('data', () => finish(''));
    socket.once('end', () => finish('closed by peer right after connect'));
    socket.connect(port, host, () => setTimeout(() => finish(''), SETTLE_MS));
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
