// The checkout this CLI runs from, whether from the sources (client/) or compiled (dist/client/):
// the nearest folder above with Clocker's package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'clocker.js'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no Clocker checkout above ${from}`);
  }
}

/** Why dist/ may not run (bin/distFreshness.js, the launcher's own rule), or undefined when it may. */
export function distProblem(root: string = repoRoot()): string | undefined {
  const freshness = require(join(root, 'bin', 'distFreshness.js')) as { distProblem(root: string): string | undefined };
  return freshness.distProblem(root);
}
