// Bounds on a blueprint's text, checked before it is parsed, each with its own message: a line
// longer than MAX_LINE_LENGTH (it would be echoed whole into every error on it), nesting deeper
// than MAX_DEPTH (the YAML parser and every walker after it recurse: a 1,000-deep file would
// exhaust the stack), and text that was not valid UTF-8 (the reader replaced bytes with U+FFFD).
// The depth is measured on the text (block indentation, `- ` entries, flow brackets), not on
// a parse, since the parse is what must not be reached.

export const MAX_LINE_LENGTH = 10_000;
export const MAX_DEPTH = 64;

export interface TextProblem {
  code: 'text.lineLength' | 'text.depth' | 'text.encoding';
  line: number;
  column: number;
  message: string;
}

const number = (n: number) => n.toLocaleString('en-US');

/** Flow brackets count where a flow collection can start: at a value's start, or inside one. */
function flowDepths(rest: string, carried: number): { max: number; end: number } {
  let depth = carried;
  let max = depth;
  let quote: string | undefined;
  let valueStart = true;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    const inFlow: boolean = valueStart || depth > 0;
    if ((c === '"' || c === "'") && inFlow) quote = c;
    else if (c === '#' && (i === 0 || rest[i - 1] === ' ')) break;
    else if ((c === '[' || c === '{') && inFlow) max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    if (c === ' ' || c === '\t') continue;
    // A new value may start after an opening bracket or a ',' inside a flow collection, or after `key: ` / `- `.
    valueStart = (inFlow && (c === '[' || c === '{' || c === ',')) || (c === ':' && (rest[i + 1] === ' ' || i + 1 === rest.length)) || (c === '-' && rest[i + 1] === ' ' && valueStart);
  }
  return { max, end: depth };
}

export function textProblems(text: string): TextProblem[] {
  const problems: TextProblem[] = [];
  const lines = text.split('\n');
  const indents: number[] = [];
  let flow = 0;
  let blockScalarParent: number | undefined;
  let depthReported = false;
  let encodingReported = false;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > MAX_LINE_LENGTH) {
      problems.push({ code: 'text.lineLength', line: i + 1, column: MAX_LINE_LENGTH + 1, message: `this line is ${number(line.length)} characters long; the limit is ${number(MAX_LINE_LENGTH)}: put a long value in a file the image or a volume carries` });
    }
    const bad = line.indexOf('\uFFFD');
    if (bad >= 0 && !encodingReported) {
      encodingReported = true;
      problems.push({ code: 'text.encoding', line: i + 1, column: bad + 1, message: 'the file is not valid UTF-8 here (bytes that are no character were read as U+FFFD): save it as UTF-8' });
    }
    if (depthReported) return;
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (blockScalarParent !== undefined) {
      if (trimmed === '' || indent > blockScalarParent) return; // the literal text of a `|` or `>` value
      blockScalarParent = undefined;
    }
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let rest = trimmed;
    if (flow === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
    }
    let entries = 0;
    while (flow === 0 && /^-(\s|$)/.test(rest)) {
      entries++;
      rest = rest.slice(1).trimStart();
    }
    const { max, end } = flowDepths(rest, flow);
    flow = end;
    const depth = indents.length + entries + max;
    if (depth > MAX_DEPTH) {
      depthReported = true;
      problems.push({ code: 'text.depth', line: i + 1, column: indent + 1, message: `values are nested more than ${MAX_DEPTH} levels deep here; a blueprint needs far fewer (is the file generated?)` });
    }
    if (flow === 0 && /(^|[:\-]\s+)[|>][0-9+-]*\s*(#.*)?$/.test(rest)) blockScalarParent = indent;
  });
  return problems;
}
