// Small helpers for the Temporal Web UI's markdown (summaries and details): the UI renders a
// subset of markdown, without HTML, and limits what it stores.

/** The server keeps a summary up to 200 bytes and details up to 20 KB; past that a start is refused. */
export const SUMMARY_MAX_BYTES = 200;
export const DETAILS_MAX_BYTES = 20_000;

/** A value in a table cell: one line, pipes escaped (a member's error can hold both). */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '';
  return String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** A code span that holds any text (backticks inside become quotes). */
export function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``;
}

/** Cuts text to at most `max` UTF-8 bytes, at a line when it can, saying how much was left out. */
export function capBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  const note = '\n\n… (cut: too long for the Web UI)';
  let cut = text.slice(0, Math.max(0, max - note.length));
  while (encoder.encode(cut).length > max - encoder.encode(note).length) cut = cut.slice(0, -1);
  const lastLine = cut.lastIndexOf('\n');
  return `${lastLine > cut.length / 2 ? cut.slice(0, lastLine) : cut}${note}`;
}

/** One line of at most 200 bytes. */
export function summaryLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= SUMMARY_MAX_BYTES) return line;
  let cut = line;
  while (encoder.encode(`${cut}…`).length > SUMMARY_MAX_BYTES) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** `1 service`, `3 services`. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A table from a header row and data rows (every cell escaped). */
export function table(header: string[], rows: (string | number | undefined)[][]): string {
  const line = (cells: (string | number | undefined)[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}
