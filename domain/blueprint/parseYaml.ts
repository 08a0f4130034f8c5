// Stage 1: YAML text → plain data plus the position of every field. Syntax errors come
// back as diagnostics (yaml's Document API keeps going after most of them).
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { SourcePositions } from './sourcePositions';
import { MAX_DEPTH, textProblems } from './textLimits';

export interface ParsedYaml {
  data: unknown;
  positions: SourcePositions;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Anchors can expand exponentially; past this many alias expansions the file is rejected. */
const maxAliasCount = 100;

export function parseYaml(text: string, file: string): ParsedYaml {
  // Past these bounds the text is not parsed at all (domain/blueprint/textLimits.ts).
  const limits = textProblems(text);
  if (limits.length > 0) {
    const errors = limits.map((p): Diagnostic => ({ severity: 'error', code: p.code, path: '', message: p.message, file, line: p.line, column: p.column }));
    return { data: null, positions: SourcePositions.fromDocument(null, new LineCounter()), errors, warnings: [] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = SourcePositions.fromDocument(doc.contents, lineCounter);
  const toDiagnostic = (severity: 'error' | 'warning', code: string, offset: number, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { severity, code, path: '', message, file, line, column: col };
  };
  const errors = doc.errors.map((e) => toDiagnostic('error', 'yaml.syntax', e.pos[0], parserMessage(e.message)));
  const warnings = doc.warnings.map((w) => toDiagnostic('warning', 'yaml.warning', w.pos[0], firstLine(w.message)));
  let data: unknown = null;
  if (errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount });
    } catch (e) {
      errors.push(toDiagnostic('error', 'yaml.aliases', 0, `cannot expand the document: ${e instanceof Error ? firstLine(e.message) : String(e)}`));
    }
  }
  return { data, positions, errors, warnings };
}

/** The parser's own stack overflow (nesting the text bounds did not catch) said in words. */
function parserMessage(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return `values are nested too deeply to read; keep nesting under ${MAX_DEPTH} levels`;
  return firstLine(message);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
