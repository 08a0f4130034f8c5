// Polls a check until it passes or the time runs out; the failure carries the daemon's log tail.
import { existsSync, readFileSync } from 'node:fs';

export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const log = logFile && existsSync(logFile) ? `\n${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}` : '';
  throw new Error(`${what} not ready within ${timeoutMs} ms${log}`);
}
