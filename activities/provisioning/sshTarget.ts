// A byon host as an SSH target. The key reference is resolved here, in the activity, so the
// key never enters workflow history: `$secret:NAME` through the secret store, else a path.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ByonHost } from '../../domain/infra/machines';
import { SshKeyNotFoundError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import type { SshTarget } from '../ssh/sshRunner';

const SECRET = '$secret:';

export function resolveKeyRef(keyRef: string, secrets: SecretStore): string {
  if (keyRef.startsWith(SECRET)) return secrets(keyRef.slice(SECRET.length));
  const path = keyRef.startsWith('~/') ? join(homedir(), keyRef.slice(2)) : resolve(keyRef);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SshKeyNotFoundError(keyRef, err instanceof Error ? err.message : String(err));
  }
}

export function sshTargetFor(host: ByonHost, secrets: SecretStore, pinnedHostKey?: string): SshTarget {
  const target: SshTarget = { host: host.address, port: host.port, username: host.user, privateKey: resolveKeyRef(host.keyRef, secrets) };
  if (pinnedHostKey) target.hostKeyFingerprint = pinnedHostKey;
  return target;
}
