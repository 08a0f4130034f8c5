// Collects diagnostics from every stage, placing each one with the document's positions.
import { byPosition, type Diagnostic, type Severity } from './diagnostic';
import { pathText, type FieldPath } from './fieldPath';
import type { SourcePositions } from './sourcePositions';

export class Reporter {
  private readonly found: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly positions: SourcePositions,
  ) {}

  error(code: string, path: FieldPath, message: string, at: 'key' | 'value' = 'value'): void {
    this.add('error', code, path, message, at);
  }

  warn(code: string, path: FieldPath, message: string, at: 'key' | 'value' = 'value'): void {
    this.add('warning', code, path, message, at);
  }

  get errors(): Diagnostic[] {
    return this.found.filter((d) => d.severity === 'error').sort(byPosition);
  }

  get warnings(): Diagnostic[] {
    return this.found.filter((d) => d.severity === 'warning').sort(byPosition);
  }

  get hasErrors(): boolean {
    return this.found.some((d) => d.severity === 'error');
  }

  private add(severity: Severity, code: string, path: FieldPath, message: string, at: 'key' | 'value'): void {
    const { line, column } = this.positions.locate(path, at);
    const diagnostic: Diagnostic = { severity, code, path: pathText(path), message, file: this.file, line, column };
    // Two stages may notice the same fault (e.g. a bad name that is also a bad reference target).
    if (!this.found.some((d) => d.code === code && d.path === diagnostic.path && d.message === message)) {
      this.found.push(diagnostic);
    }
  }
}
