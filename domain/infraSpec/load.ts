// The infra file loader, staged like the blueprint's:
//
//   parse (yaml, positions) → schema (zod, every issue at its line:column) → cross checks
//   (repeated ids/addresses, cloud providers) → InfraDefinition
//
// A stage runs only when the one before found no errors; within a stage all are reported.
import { z } from 'zod';
import type { Diagnostic } from '../blueprint/diagnostic';
import { parseYaml } from '../blueprint/parseYaml';
import { Reporter } from '../blueprint/reporter';
import { buildDefinition } from './build';
import type { InfraDefinition } from './model';
import { infraFileSchema, type InfraFile } from './schema';

export type InfraLoadResult = { ok: true; definition: InfraDefinition; warnings: Diagnostic[] } | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/** Cloud providers are a seam (activities/provisioning/machineProvider.ts); none is built yet. */
export const KNOWN_CLOUD_PROVIDERS: readonly string[] = [];

export function loadInfraDefinition(text: string, file: string): InfraLoadResult {
  const parsed = parseYaml(text, file);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: parsed.warnings };
  const reporter = new Reporter(file, parsed.positions);
  const checked = infraFileSchema.safeParse(parsed.data);
  if (!checked.success) {
    for (const issue of checked.error.issues) reportIssue(issue, reporter);
    return { ok: false, errors: reporter.errors, warnings: parsed.warnings };
  }
  crossChecks(checked.data, reporter);
  if (reporter.hasErrors) return { ok: false, errors: reporter.errors, warnings: parsed.warnings };
  return { ok: true, definition: buildDefinition(checked.data), warnings: parsed.warnings };
}

type Path = (string | number)[];
const toPath = (path: PropertyKey[]): Path => path.filter((p): p is string | number => typeof p !== 'symbol');

function reportIssue(issue: z.core.$ZodIssue, reporter: Reporter): void {
  const path = toPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) reporter.error('schema.unknownKey', [...path, key], `unknown key "${key}"`, 'key');
    return;
  }
  if (issue.code === 'invalid_union' && path.length === 1 && path[0] === 'location') {
    reporter.error('schema.location', path, 'must be `local`, `{ byon: { hosts: [...] } }` or `{ cloud: { provider: NAME } }`');
    return;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    reporter.error('schema.required', path, 'is required', 'key');
    return;
  }
  reporter.error('schema.invalid', path, issue.message);
}

function crossChecks(file: InfraFile, reporter: Reporter): void {
  const location = file.location;
  if (file.headroom && (location === 'local' || !('byon' in location))) {
    reporter.error('headroom.byonOnly', ['headroom'], 'headroom brings in byon spares: it needs `location: { byon: ... }`');
  }
  if (file.headroom?.check === 0) reporter.error('headroom.check', ['headroom', 'check'], 'must be above 0');
  if (location === 'local') return;
  if ('cloud' in location) {
    const known = KNOWN_CLOUD_PROVIDERS.length === 0 ? 'none is built yet' : `known: ${KNOWN_CLOUD_PROVIDERS.join(', ')}`;
    reporter.error('location.cloud', ['location', 'cloud', 'provider'], `no cloud provider "${location.cloud.provider}" (${known}); use byon hosts`);
    return;
  }
  const seen = { id: new Map<string, number>(), address: new Map<string, number>() };
  location.byon.hosts.forEach((h, i) => {
    for (const field of ['id', 'address'] as const) {
      const first = seen[field].get(h[field]);
      if (first !== undefined) reporter.error(`byon.duplicate${field === 'id' ? 'Id' : 'Address'}`, ['location', 'byon', 'hosts', i, field], `${field} "${h[field]}" is already used by hosts[${first}]`);
      else seen[field].set(h[field], i);
    }
  });
}
