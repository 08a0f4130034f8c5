// YAML merge keys (`<<: *defaults`), which Compose files use with `x-` anchors to share
// settings. The parser reads YAML 1.2, where `<<` is an ordinary key, so the importer merges:
// the map's own keys win, then the merged maps in their order.
import { isPlainMap, type PlainMap } from '../normalize/plainData';

export function withMergeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withMergeKeys);
  if (!isPlainMap(value)) return value;
  const own: PlainMap = {};
  for (const [k, v] of Object.entries(value)) if (k !== '<<') own[k] = withMergeKeys(v);
  const sources = value['<<'] === undefined ? [] : Array.isArray(value['<<']) ? value['<<'] : [value['<<']];
  const merged: PlainMap = {};
  for (const source of [...sources].reverse()) if (isPlainMap(source)) Object.assign(merged, withMergeKeys(source));
  return { ...merged, ...own };
}
