// Brooklyn catalog metadata: what describes a blueprint (for a catalog's UI) rather than
// what it runs. It loads and is ignored; `brooklyn.parameters` is the one part used: a
// parameter's default is a config value `$brooklyn:config` can read.
import { isPlainMap, isScalar, type PlainMap } from './plainData';

/** Keys at a blueprint's root, a catalog item's, or a service's that change nothing here. */
export const cosmeticKeys = [
  'origin', 'iconUrl', 'version', 'publish', 'tags', 'brooklyn.tags', 'displayName', 'license', 'licenseUrl',
  'deprecated', 'disabled', 'libraries', 'brooklyn.libraries', 'scanJavaAnnotations', 'symbolicName', 'itemType',
];

/** `brooklyn.parameters: [{name, default}]` → config defaults (a bare name has no default). */
export function parameterDefaults(value: unknown): PlainMap {
  const defaults: PlainMap = {};
  for (const p of Array.isArray(value) ? value : []) {
    if (isPlainMap(p) && typeof p['name'] === 'string' && isScalar(p['default'])) defaults[p['name']] = p['default'];
  }
  return defaults;
}
