// How the Compose importer speaks: a key it honours says nothing; a key whose absence does
// not change what runs (a container name, a log driver) is a warning; a key it cannot honour
// refuses the file, at the key's position (running it with another meaning would be worse).
import type { FieldPath } from '../fieldPath';

export interface Notes {
  /** Ignored, and what runs is the same. */
  warn(path: FieldPath, message: string): void;
  /** Cannot be honoured: an error, so the file is not deployed. */
  refuse(path: FieldPath, message: string, at?: 'key' | 'value'): void;
}

export function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : typeof value === 'number' || typeof value === 'boolean' ? String(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : 'a map';
}
