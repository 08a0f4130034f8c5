// Runs an argv on a host of the infrastructure, the way Clocker can reach it: over SSH (the one
// runner, activities/ssh/sshRunner.ts) for a byon host; on the worker's own machine for the
// engine behind a local socket. A host reached only through its Docker API has no shell.
import { execFile } from 'node:child_process';
import type { HostAccess } from '../../domain/infra/hostAccess';
import { RemoteCommandError } from '../errors';
import { sshTargetFor } from '../provisioning/sshTarget';
import type { SecretStore } from '../secrets/secretStore';
import type { CommandResult, HostCommand } from '../ssh/hostCommand';
import { runOverSsh } from '../ssh/sshRunner';

export type HostShell = (cmd: HostCommand) => Promise<CommandResult>;

const STDERR_TAIL_CHARS = 2_000;

/** Undefined when Clocker has no way to run a command there. */
export function hostShellFor(access: HostAccess, secrets: SecretStore): HostShell | undefined {
  if (access.ssh) {
    const ssh = access.ssh;
    return (cmd) => runOverSsh(sshTargetFor(ssh.host, secrets, ssh.pinnedHostKey), cmd);
  }
  if (access.docker.kind === 'socket') return runOnWorker;
  return undefined;
}

/** The worker's own machine: argv without a shell, the same exit-code rules as the SSH runner. */
export function runOnWorker(cmd: HostCommand): Promise<CommandResult> {
  const [file, ...args] = cmd.argv;
  if (!file) return Promise.reject(new Error('cannot run an empty command'));
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: cmd.timeoutMs ?? 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (exitCode === null || !(cmd.okExitCodes ?? [0]).includes(exitCode)) {
        reject(new RemoteCommandError('the worker', cmd.argv, exitCode, String(stderr).slice(-STDERR_TAIL_CHARS).trim()));
        return;
      }
      resolve({ exitCode, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
