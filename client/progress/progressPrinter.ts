// Shows progress lines: in a terminal, one block redrawn in place (coloured unless NO_COLOR is
// set); elsewhere (a pipe, a log file, CI) only the lines that changed, each once, stamped
// with the seconds since the command started, so a log reads as a timeline.
import { changedLines, type ProgressLine, type Tone } from './progressLines';

/** What the printer writes to: stdout, or anything shaped like it. */
export interface PrinterOut {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface PrinterOptions {
  out?: PrinterOut;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const COLOURS: Record<Tone, string> = { ok: '\x1b[32m', busy: '\x1b[33m', bad: '\x1b[31m', plain: '' };
const RESET = '\x1b[0m';

/** https://no-color.org: present and not empty disables colour. */
export function colourWanted(env: NodeJS.ProcessEnv, tty: boolean): boolean {
  return tty && !env.NO_COLOR;
}

export class ProgressPrinter {
  private readonly out: PrinterOut;
  private readonly tty: boolean;
  private readonly colour: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private readonly shown = new Map<string, string>();
  /** Lines of the block last drawn (terminal mode), to move back over them. */
  private drawn = 0;
  private lastBlock = '';

  constructor(o: PrinterOptions = {}) {
    this.out = o.out ?? process.stdout;
    this.tty = this.out.isTTY === true;
    this.colour = colourWanted(o.env ?? process.env, this.tty);
    this.now = o.now ?? Date.now;
    this.started = this.now();
  }

  update(lines: readonly ProgressLine[]): void {
    if (this.tty) this.redraw(lines);
    else this.append(lines);
  }

  /** A line of its own (a notice, the reattach hint), below whatever was drawn. */
  say(text: string): void {
    this.end();
    this.out.write(`${text}\n`);
  }

  /** The block stays on screen as it was last drawn; what is written next goes below it. */
  end(): void {
    this.drawn = 0;
    this.lastBlock = '';
  }

  private append(lines: readonly ProgressLine[]): void {
    const stamp = `[${((this.now() - this.started) / 1000).toFixed(1).padStart(5)}s]`;
    for (const l of changedLines(this.shown, lines)) {
      this.out.write(`${stamp} ${l.text}\n`);
      this.shown.set(l.key, l.text);
    }
  }

  private redraw(lines: readonly ProgressLine[]): void {
    // Longer lines would wrap and the block would no longer be as many rows as it has lines.
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    const rows = lines.map((l) => {
      const text = l.text.length > width ? `${l.text.slice(0, width - 1)}…` : l.text;
      return this.colour && COLOURS[l.tone] ? `${COLOURS[l.tone]}${text}${RESET}` : text;
    });
    const block = rows.join('\n');
    if (block === this.lastBlock) return;
    const back = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[0J` : '';
    this.out.write(`${back}${block}\n`);
    this.drawn = rows.length;
    this.lastBlock = block;
  }
}
