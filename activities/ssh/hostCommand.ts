// A command for a host is data: the argv and what to expect of it. Builders return these;
// only the SSH runner executes them.

export interface HostCommand {
  argv: string[];
  /** Bytes written to the command's standard input, then closed. */
  stdin?: string;
  /** Exit codes that count as success (default: only 0). */
  okExitCodes?: number[];
  timeoutMs?: number;
}

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function command(argv: string[], options: Omit<HostCommand, 'argv'> = {}): HostCommand {
  return { argv, ...options };
}
