// The one SSH runner: connects with ssh2, checks the host key, runs a HostCommand quoted by
// shellQuote, enforces a time limit, and turns every failure into a named ClockerError.
import { createHash } from 'node:crypto';
import { Client, type ClientChannel } from 'ssh2';
import { CommandTimeoutError, HostKeyMismatchError, HostUnreachableError, RemoteCommandError, SshAuthError } from '../errors';
import type { CommandResult, HostCommand } from './hostCommand';
import { quoteArgv } from './shellQuote';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** PEM/OpenSSH private key text, resolved from a secret reference by the caller. */
  privateKey: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. Absent: trust on first use, and report it. */
  hostKeyFingerprint?: string;
  connectTimeoutMs?: number;
}

export interface SshResult extends CommandResult {
  /** The fingerprint the host presented, for pinning on first use. */
  hostKeyFingerprint: string;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
const STDERR_TAIL_CHARS = 2_000;

export function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

export async function runOverSsh(target: SshTarget, cmd: HostCommand): Promise<SshResult> {
  const where = `${target.username}@${target.host}:${target.port}`;
  const conn = new Client();
  let presented = '';
  try {
    await connect(conn, target, (fp) => (presented = fp));
    const result = await exec(conn, cmd, target.host);
    const ok = cmd.okExitCodes ?? [0];
    if (result.exitCode === null || !ok.includes(result.exitCode)) {
      throw new RemoteCommandError(where, cmd.argv, result.exitCode, result.stderr.slice(-STDERR_TAIL_CHARS).trim());
    }
    return { ...result, hostKeyFingerprint: presented };
  } catch (err) {
    if (target.hostKeyFingerprint && presented && presented !== target.hostKeyFingerprint) {
      throw new HostKeyMismatchError(where, target.hostKeyFingerprint, presented);
    }
    throw err;
  } finally {
    conn.end();
  }
}

function connect(conn: Client, target: SshTarget, onHostKey: (fp: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    conn.once('ready', () => resolve());
    conn.once('error', (err: Error & { level?: string }) => {
      if (err.level === 'client-authentication') reject(new SshAuthError(`${target.host}:${target.port}`, target.username));
      else reject(new HostUnreachableError(`${target.host}:${target.port}`, err.message));
    });
    conn.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: target.connectTimeoutMs ?? 20_000,
      hostVerifier: (key: Buffer) => {
        const fp = fingerprintOf(key);
        onHostKey(fp);
        return target.hostKeyFingerprint === undefined || target.hostKeyFingerprint === fp;
      },
    });
  });
}

function exec(conn: Client, cmd: HostCommand, host: string): Promise<CommandResult> {
  const timeoutMs = cmd.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    conn.exec(quoteArgv(cmd.argv), (err, stream: ClientChannel) => {
      if (err) return reject(new HostUnreachableError(host, err.message));
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      const timer = setTimeout(() => {
        stream.close();
        reject(new CommandTimeoutError(host, cmd.argv, timeoutMs));
      }, timeoutMs);
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errOut.push(d));
      stream.on('close', (code: number | null) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? null, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
      });
      if (cmd.stdin !== undefined) stream.end(cmd.stdin);
      else stream.end();
    });
  });
}
