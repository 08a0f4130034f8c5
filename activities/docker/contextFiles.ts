// The files of a build context, as the Docker build will see them, and a hash of them. The
// client hashes the context when it loads the blueprint (the hash names the image and is part
// of the spec); the worker lists the same files to send them, and checks the hash again so an
// image is never tagged with a hash its content does not have.
import dockerignore from '@balena/dockerignore';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildInputs {
  /** Absolute path of the context folder. */
  contextPath: string;
  /** Relative to the context; default `Dockerfile`. */
  dockerfile?: string;
  args?: Record<string, string>;
}

/** Why the context cannot be built from, or undefined when it can. */
export function contextProblem({ contextPath, dockerfile = 'Dockerfile' }: BuildInputs): string | undefined {
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing'; // ENOENT, EACCES: either way unreadable, and said so below
    }
  };
  if (kind(contextPath) !== 'folder') return `build context ${contextPath} is not a readable folder${kind(contextPath) === 'file' ? ' (it is a file)' : ''}`;
  if (kind(join(contextPath, dockerfile)) !== 'file') return `Dockerfile ${join(contextPath, dockerfile)} does not exist`;
  return undefined;
}

/**
 * Relative paths ('/'-separated, sorted) of the files and symlinks the build receives: every
 * one under the context except those `.dockerignore` excludes, with the same matcher dockerode
 * applies when it packs the context (so the hash covers exactly what is sent). Folders are not
 * listed (packing one would send all it holds): an empty folder does not reach the build.
 */
export function contextFiles(contextPath: string): string[] {
  const all: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(contextPath, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      // Sockets and pipes are no content (and reading a pipe would block): never sent.
      else if (entry.isFile() || entry.isSymbolicLink()) all.push(path);
    }
  };
  walk('');
  let ignoreFile: string | undefined;
  try {
    ignoreFile = readFileSync(join(contextPath, '.dockerignore'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const kept = ignoreFile === undefined ? all : all.filter(dockerignore({ ignorecase: false }).add(ignoreFile).createFilter());
  return kept.sort();
}

/** sha256 (hex) of the files' paths, modes and contents (symlinks: their target), the Dockerfile's path and the args. */
export function contextHash(inputs: BuildInputs, files: string[] = contextFiles(inputs.contextPath)): string {
  const hash = createHash('sha256');
  const field = (text: string | Buffer) => hash.update(`${text.length}:`).update(text);
  field(inputs.dockerfile ?? 'Dockerfile');
  for (const [k, v] of Object.entries(inputs.args ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) field(`${k}=${v}`);
  for (const rel of files) {
    const path = join(inputs.contextPath, rel);
    const st = lstatSync(path);
    field(rel);
    // Only the executable bits: a checkout's umask must not change the hash, but `chmod +x` does
    // change what COPY makes.
    field(String(st.mode & 0o111 ? 'x' : '-'));
    field(st.isSymbolicLink() ? `-> ${readlinkSync(path)}` : readFileSync(path));
  }
  return hash.digest('hex');
}
