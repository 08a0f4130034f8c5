// Stopping the child processes Clocker starts (dev server, worker, rig daemons).
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL if it has not gone within the grace time. */
export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
