// Where each field of a YAML document starts, so any stage can point at line:column.
// Normalization rebuilds parts of the document (Clocker 1.x keys, short forms); it records
// which original path a rebuilt path came from, and lookups follow that record.
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { pathKey, type FieldPath } from './fieldPath';

export interface Position {
  line: number;
  column: number;
}

export class SourcePositions {
  private readonly values = new Map<string, Position>();
  private readonly keys = new Map<string, Position>();
  private readonly moves = new Map<string, FieldPath>();

  static fromDocument(root: Node | null, lineCounter: LineCounter): SourcePositions {
    const positions = new SourcePositions();
    const at = (offset: number): Position => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
    const walk = (node: unknown, path: (string | number)[]): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          const childPath = [...path, key];
          if (isScalar(pair.key) && pair.key.range) positions.keys.set(pathKey(childPath), at(pair.key.range[0]));
          const value = pair.value as Node | null;
          const start = value?.range?.[0] ?? (isScalar(pair.key) ? pair.key.range?.[0] : undefined);
          if (start !== undefined) positions.values.set(pathKey(childPath), at(start));
          walk(value, childPath);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          const childPath = [...path, index];
          const start = (item as Node | null)?.range?.[0];
          if (start !== undefined) positions.values.set(pathKey(childPath), at(start));
          walk(item, childPath);
        });
      }
    };
    if (root?.range) positions.values.set(pathKey([]), at(root.range[0]));
    walk(root, []);
    return positions;
  }

  /** Say that the rebuilt field at `to` was written at `from` in the file. */
  recordMove(to: FieldPath, from: FieldPath): void {
    if (pathKey(to) !== pathKey(from)) this.moves.set(pathKey(to), from);
  }

  /** The position of a field: its key's when asked and known, else its value's, else the nearest enclosing field's. */
  locate(path: FieldPath, prefer: 'key' | 'value' = 'value'): Position {
    const original = this.original(path);
    if (prefer === 'key') {
      const key = this.keys.get(pathKey(original));
      if (key) return key;
    }
    for (let length = original.length; length >= 0; length--) {
      const found = this.values.get(pathKey(original.slice(0, length)));
      if (found) return found;
    }
    return { line: 1, column: 1 };
  }

  private original(path: FieldPath): FieldPath {
    // The longest rebuilt prefix decides; moves are recorded for every rebuilt list element.
    for (let length = path.length; length > 0; length--) {
      const from = this.moves.get(pathKey(path.slice(0, length)));
      if (from) return [...from, ...path.slice(length)];
    }
    return path;
  }
}
