// Finds a `temporal` CLI (the dev server), building it from the Go module proxy once and
// caching it: CLOCKER_TEMPORAL_BIN, then `temporal` on PATH, then the cache, then `go install`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Later tags carry a `replace` directive that breaks `go install …@version`. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'clocker', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

export function findTemporalBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CLOCKER_TEMPORAL_BIN) {
    if (!existsSync(env.CLOCKER_TEMPORAL_BIN)) throw new Error(`CLOCKER_TEMPORAL_BIN=${env.CLOCKER_TEMPORAL_BIN} does not exist`);
    return env.CLOCKER_TEMPORAL_BIN;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate) && answersVersion(candidate)) return candidate;
  }
  const cached = join(temporalCacheDir(env), 'temporal');
  return existsSync(cached) ? cached : undefined;
}

/** The path of a working `temporal` CLI, building it first if there is none. */
export function ensureTemporalBinary(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.error): string {
  const found = findTemporalBinary(env);
  if (found) return found;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'no `temporal` CLI found, and Go is not installed to build one.\n' +
        `Install Go (https://go.dev/doc/install, or Debian's golang-go ≥ 1.23), or put a \`temporal\` binary on PATH, ` +
        'or set CLOCKER_TEMPORAL_BIN to its path.',
    );
  }
  const dir = temporalCacheDir(env);
  mkdirSync(dir, { recursive: true });
  // Build into a scratch folder and rename: an interrupted build never leaves a broken binary.
  const scratch = mkdtempSync(join(dir, '.build-'));
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go.stdout.trim()} (a few minutes, once) into ${dir}`);
  try {
    execFileSync('go', ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: scratch, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    renameSync(join(scratch, 'temporal'), join(dir, 'temporal'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return join(dir, 'temporal');
}

function answersVersion(path: string): boolean {
  return spawnSync(path, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
