// What /etc/os-release says, and whether Clocker knows how to install Docker there.
export interface OsInfo {
  id: string;
  idLike: string[];
  versionId: string;
  prettyName: string;
}

export const SUPPORTED_OS = ['debian', 'ubuntu'] as const;

/** os-release is shell-style KEY=value lines; values may be quoted. */
export function parseOsRelease(text: string): OsInfo {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) fields[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return {
    id: fields.ID ?? '',
    idLike: (fields.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
    versionId: fields.VERSION_ID ?? '',
    prettyName: fields.PRETTY_NAME ?? fields.ID ?? 'unknown',
  };
}

/** Debian and its derivatives (Ubuntu declares ID_LIKE=debian) install through apt. */
export function packageManagerFor(os: OsInfo): 'apt' | undefined {
  const family = [os.id, ...os.idLike];
  return family.some((id) => (SUPPORTED_OS as readonly string[]).includes(id)) ? 'apt' : undefined;
}
