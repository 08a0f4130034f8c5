// What a new blueprint changes in a running application: services added, removed, changed
// (and which fields), resized. The application workflow walks this plan; `clocker plan`
// prints the same plan as text.
import type { Blueprint, ServiceSpec } from '../blueprint/model';

export type ServiceChange =
  | { kind: 'add'; service: string; count: number }
  | { kind: 'remove'; service: string }
  | { kind: 'change'; service: string; fields: string[] }
  /** Only how the service behaves changed (update, reload, policies): its members stay as they are. */
  | { kind: 'settings'; service: string; fields: string[] }
  | { kind: 'resize'; service: string; from: number; to: number };

export interface Plan {
  app: string;
  changes: ServiceChange[];
}

/** Fields that only say how many members run. */
const SIZE_FIELDS = new Set<keyof ServiceSpec>(['count', 'size']);
/** Fields that say how the service behaves, not what its members are made from. */
const SETTINGS_FIELDS = new Set<keyof ServiceSpec>(['update', 'reload', 'policies']);

/** Whether members must be replaced to go from `a` to `b` (anything beyond size and settings changed). */
export function membersChange(a: ServiceSpec, b: ServiceSpec): boolean {
  return changedFields(a, b).some((f) => !SIZE_FIELDS.has(f as keyof ServiceSpec) && !SETTINGS_FIELDS.has(f as keyof ServiceSpec));
}

export function planChanges(current: Blueprint, next: Blueprint): Plan {
  const changes: ServiceChange[] = [];
  const before = new Map(current.services.map((s) => [s.id, s]));
  const after = new Map(next.services.map((s) => [s.id, s]));
  for (const s of current.services) if (!after.has(s.id)) changes.push({ kind: 'remove', service: s.id });
  for (const s of next.services) {
    const old = before.get(s.id);
    if (!old) {
      changes.push({ kind: 'add', service: s.id, count: s.count });
      continue;
    }
    const fields = changedFields(old, s).filter((f) => !SIZE_FIELDS.has(f as keyof ServiceSpec));
    if (fields.some((f) => !SETTINGS_FIELDS.has(f as keyof ServiceSpec))) changes.push({ kind: 'change', service: s.id, fields });
    else if (fields.length > 0) changes.push({ kind: 'settings', service: s.id, fields });
    if (old.count !== s.count) changes.push({ kind: 'resize', service: s.id, from: old.count, to: s.count });
  }
  return { app: next.name, changes };
}

export function changedFields(a: ServiceSpec, b: ServiceSpec): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonical(a[k as keyof ServiceSpec]) !== canonical(b[k as keyof ServiceSpec]));
}

/** JSON with sorted keys, so key order never reads as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

export function planText(plan: Plan): string {
  if (plan.changes.length === 0) return `${plan.app}: no changes`;
  const lines = plan.changes.map((c) => {
    switch (c.kind) {
      case 'add':
        return `+ ${c.service}: add (${c.count} member${c.count === 1 ? '' : 's'})`;
      case 'remove':
        return `- ${c.service}: remove`;
      case 'change':
        return `~ ${c.service}: rolling update (${c.fields.join(', ')})`;
      case 'settings':
        return `~ ${c.service}: new settings, members kept (${c.fields.join(', ')})`;
      case 'resize':
        return `~ ${c.service}: resize ${c.from} -> ${c.to}`;
    }
  });
  return [`${plan.app}: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}`, ...lines].join('\n');
}
