// The one place where argv becomes a shell string. SSH executes a single string through the
// remote user's shell, so every argument is single-quoted: nothing in it is ever interpreted.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg.length > 0 && SAFE.test(arg)) return arg;
  // Close the quote, emit an escaped quote, reopen: 'it'\''s'
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('cannot run an empty command');
  return argv.map(quoteArg).join(' ');
}
