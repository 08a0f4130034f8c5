// A problem found in a blueprint, with where it is. Every stage reports these instead of
// throwing, so a file's errors are all reported at once.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable kind, e.g. `schema.unknownKey`, `graph.cycle`. */
  code: string;
  /** Readable field path, e.g. `services[1].ports[0]`; '' for the whole document. */
  path: string;
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * `file:line:column: severity: path: message`, and when the source text is given, the line
 * itself with a caret under the column (what compilers print, so editors can jump to it).
 */
/** At most this many characters of a source line are echoed under a message. */
const SHOWN = 160;

export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const where = d.path === '' ? '' : `${d.path}: `;
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${where}${d.message}`;
  if (sourceText === undefined) return head;
  const line = sourceText.split(/\r?\n/)[d.line - 1];
  if (line === undefined) return head;
  // A long line is shown as a window around the column, never whole.
  const from = Math.max(0, d.column - 1 - SHOWN / 2);
  const shown = `${from > 0 ? '…' : ''}${line.slice(from, from + SHOWN)}${from + SHOWN < line.length ? '…' : ''}`;
  const gutter = `${d.line} | `;
  return `${head}\n${gutter}${shown}\n${' '.repeat(gutter.length + d.column - 1 - from + (from > 0 ? 1 : 0))}^`;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], sourceText?: string): string {
  return diagnostics.map((d) => formatDiagnostic(d, sourceText)).join('\n');
}

/** Sorted by position, so messages read top to bottom like the file. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || a.message.localeCompare(b.message);
}
