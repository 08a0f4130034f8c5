// Commands that observe and install on a host, as data (the SSH runner executes them).
// Non-root users go through `sudo -n`: a password prompt would hang, so it fails instead.
import type { HostCommand } from '../../activities/ssh/hostCommand';

export function asUser(user: string, argv: string[]): string[] {
  return user === 'root' ? argv : ['sudo', '-n', ...argv];
}

export const readOsRelease = (): HostCommand => ({ argv: ['cat', '/etc/os-release'] });

/** Exit 1 when dockerd is not on PATH. */
export const findDockerd = (): HostCommand => ({ argv: ['which', 'dockerd'], okExitCodes: [0, 1] });

export const dockerdVersion = (dockerd: string): HostCommand => ({ argv: [dockerd, '--version'] });

export function aptInstallDocker(user: string): HostCommand[] {
  const apt = (args: string[]) => asUser(user, ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]);
  return [
    { argv: apt(['update']), timeoutMs: 300_000 },
    { argv: apt(['install', '-y', '--no-install-recommends', 'docker.io']), timeoutMs: 600_000 },
  ];
}

/** Exit 0 present, 1 absent: `sha256sum` of a missing file prints nothing to stdout. */
export const fileHash = (user: string, path: string): HostCommand => ({ argv: asUser(user, ['sha256sum', path]), okExitCodes: [0, 1] });

/** Writes `content` to `path` (parents created) with `mode`; idempotent by nature. */
export function uploadFile(user: string, path: string, content: string, mode: string): HostCommand {
  return { argv: asUser(user, ['install', '-D', '-m', mode, '/dev/stdin', path]), stdin: content };
}

export const makeDirs = (user: string, dirs: string[]): HostCommand => ({ argv: asUser(user, ['mkdir', '-p', ...dirs]) });
