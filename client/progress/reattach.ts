// A long command only follows work that runs in Temporal workflows: leaving it (Ctrl-C, or
// --detach) never cancels that work. These say so, and how to follow it again.
import type { ProgressPrinter } from './progressPrinter';

export const watchHint = (app: string) => `clocker status ${app} --watch`;
export const infraWatchHint = (name: string) => `clocker infra status ${name} --watch`;

export function detachedText(what: string, hint: string): string {
  return `${what} goes on in Temporal; follow it with \`${hint}\``;
}

/**
 * Runs `follow` with Ctrl-C meaning "stop following": the printer's block is left as it was,
 * the hint is printed, and the process ends (130, as an interrupted command does) without
 * telling any workflow anything.
 */
export async function followUntilInterrupted<T>(printer: ProgressPrinter, hint: string, follow: () => Promise<T>): Promise<T> {
  const onInterrupt = () => {
    printer.say(`\nstopped following (nothing was cancelled: the work goes on in Temporal); reattach with \`${hint}\``);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await follow();
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
