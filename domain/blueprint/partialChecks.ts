// When the schema rejects some services or networks, the cross-field checks still run on
// the rest, so a file's errors come in one round. A rejected element is replaced by a bare
// placeholder with its id (so references to it are not reported as unknown); errors in the
// blueprint's own fields (name, config, …) stop here instead, to avoid follow-on noise.
import type { z } from 'zod';
import { isPlainMap, type PlainMap } from './normalize/plainData';
import { idPattern } from './schema/primitives';

const listKeys = ['services', 'networks'];
/** Fields no cross-field check reads: a placeholder lets the checks run. */
const plainFieldPlaceholders: PlainMap = { name: 'rejected', location: 'rejected', description: '' };

function placeholder(entry: unknown, list: string, index: number): PlainMap {
  const id = isPlainMap(entry) && typeof entry['id'] === 'string' && idPattern.test(entry['id']) ? entry['id'] : `rejected-${list}-${index}`;
  return list === 'services' ? { id, image: 'placeholder' } : { id };
}

/** The data with each rejected list element replaced, or undefined if other fields were rejected. */
export function withRejectedElementsReplaced(data: unknown, issues: readonly z.core.$ZodIssue[]): PlainMap | undefined {
  if (!isPlainMap(data)) return undefined;
  const rejected = new Set<string>();
  for (const issue of issues) {
    const [list, index] = issue.path;
    if (typeof list === 'string' && list in plainFieldPlaceholders) {
      rejected.add(list);
      continue;
    }
    if (typeof list !== 'string' || !listKeys.includes(list) || typeof index !== 'number') return undefined;
    rejected.add(`${list}/${index}`);
  }
  const patched: PlainMap = { ...data };
  for (const [key, value] of Object.entries(plainFieldPlaceholders)) if (rejected.has(key)) patched[key] = value;
  for (const list of listKeys) {
    const entries = data[list];
    if (Array.isArray(entries)) patched[list] = entries.map((e: unknown, i) => (rejected.has(`${list}/${i}`) ? placeholder(e, list, i) : e));
  }
  return patched;
}
