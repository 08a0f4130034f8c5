// Small checks shared by the IPAM request validators.
import type { IpamIssue } from './model';

export type Fields = Record<string, unknown>;
type Add = (code: string, path: string, message: string) => void;

export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
export const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Owners become keys of plain-JSON records, so they are restricted to id-like text: no
 * `__proto__` (it starts with `_`) and nothing a log line would mangle.
 */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,252}$/;

export function checkOwner(owner: unknown, add: Add, path = 'owner'): void {
  if (typeof owner !== 'string' || !OWNER.test(owner)) {
    add('owner', path, `must be an id (letters, digits and _ . : / @ -, starting with a letter or digit), got ${show(owner)}`);
  }
}

export function unknownKeys(object: Fields, known: readonly string[], add: Add): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) add('unknownKey', key, `is not a known field (known: ${known.join(', ')})`);
  }
}

/** "path: message" lines, for an Update validator's error. */
export function formatIpamIssues(issues: readonly IpamIssue[]): string {
  return issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('\n');
}
