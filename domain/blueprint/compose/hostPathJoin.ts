// Path arithmetic on plain strings (domain code imports no node:path): a Compose file's
// relative host path, joined to the file's folder the way a POSIX shell would resolve it.

/** The folder of an absolute file path, or undefined when the path is relative. */
export function folderOf(file: string): string | undefined {
  if (!file.startsWith('/')) return undefined;
  const cut = file.lastIndexOf('/');
  return cut <= 0 ? '/' : file.slice(0, cut);
}

/**
 * `folder` (absolute) joined with `relative`; '.' and '..' segments resolved, repeated '/'
 * collapsed. Undefined when '..' climbs above '/'.
 */
export function joinHostPath(folder: string, relative: string): string | undefined {
  const parts: string[] = [];
  for (const segment of `${folder}/${relative}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return `/${parts.join('/')}`;
}
