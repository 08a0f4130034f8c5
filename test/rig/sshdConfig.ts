// sshd configuration for one rig host: key-only root login on the host's own address.
import { join } from 'node:path';

export function sshdConfig({ address, dir }: { address: string; dir: string }): string {
  return [
    `ListenAddress ${address}`,
    'Port 22',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
