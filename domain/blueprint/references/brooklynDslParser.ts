// Parses Brooklyn's DSL text (`$brooklyn:entity("db").attributeWhenReady("host.address")`,
// `$brooklyn:formatString("%s:%d", …)`) into a chain of calls. Evaluation is elsewhere.

export type DslArg = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'chain'; calls: DslCall[] };
export interface DslCall {
  name: string;
  args: DslArg[];
}

export const dslPrefix = '$brooklyn:';

class DslSyntaxError extends Error {}

class Cursor {
  at = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (/\s/.test(this.text.charAt(this.at))) this.at++;
  }
  peek(): string {
    this.skipSpace();
    return this.text.charAt(this.at);
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new DslSyntaxError(`expected "${ch}" at character ${this.at + 1}${this.at < this.text.length ? `, found "${this.text.charAt(this.at)}"` : ''}`);
    this.at++;
  }
  match(pattern: RegExp): string | undefined {
    this.skipSpace();
    const m = pattern.exec(this.text.slice(this.at));
    if (!m) return undefined;
    this.at += m[0].length;
    return m[0];
  }
}

function parseString(cursor: Cursor): string {
  const quote = cursor.peek();
  cursor.at++;
  let out = '';
  while (cursor.at < cursor.text.length) {
    const ch = cursor.text.charAt(cursor.at++);
    if (ch === quote) return out;
    if (ch === '\\' && cursor.at < cursor.text.length) out += cursor.text.charAt(cursor.at++);
    else out += ch;
  }
  throw new DslSyntaxError('unclosed string');
}

function parseArg(cursor: Cursor, depth: number): DslArg {
  const ch = cursor.peek();
  if (ch === '"' || ch === "'") return { kind: 'string', value: parseString(cursor) };
  const number = cursor.match(/^-?\d+(\.\d+)?/);
  if (number !== undefined) return { kind: 'number', value: Number(number) };
  cursor.match(/^\$brooklyn:/);
  return { kind: 'chain', calls: parseChain(cursor, depth + 1) };
}

function parseChain(cursor: Cursor, depth: number): DslCall[] {
  if (depth > 20) throw new DslSyntaxError('expressions nested too deeply');
  const calls: DslCall[] = [];
  do {
    const name = cursor.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (name === undefined) throw new DslSyntaxError(`expected a function name at character ${cursor.at + 1}`);
    cursor.expect('(');
    const args: DslArg[] = [];
    if (cursor.peek() !== ')') {
      args.push(parseArg(cursor, depth));
      while (cursor.peek() === ',') {
        cursor.at++;
        args.push(parseArg(cursor, depth));
      }
    }
    cursor.expect(')');
    calls.push({ name, args });
  } while (cursor.peek() === '.' && ++cursor.at);
  return calls;
}

/** Parses text that starts with `$brooklyn:`; returns the calls or a message saying what is wrong. */
export function parseBrooklynDsl(text: string): { ok: true; calls: DslCall[] } | { ok: false; message: string } {
  const cursor = new Cursor(text.slice(dslPrefix.length));
  try {
    const calls = parseChain(cursor, 0);
    if (cursor.peek() !== '') throw new DslSyntaxError(`unexpected "${cursor.text.slice(cursor.at, cursor.at + 20)}" after the expression`);
    return { ok: true, calls };
  } catch (e) {
    if (e instanceof DslSyntaxError) return { ok: false, message: `cannot read Brooklyn DSL ${JSON.stringify(text.slice(0, 60))}: ${e.message}` };
    throw e;
  }
}
