// Workflow code must stay deterministic: workflows/ and domain/ import no Node built-ins, no
// I/O libraries and no client/activity code (type-only imports are erased and allowed).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const FORBIDDEN = [/^node:/, /^(fs|net|os|path|child_process|crypto|http|https|dns|tls)$/, /^dockerode$/, /^ssh2$/, /^@temporalio\/(client|activity|worker)$/, /\/activities(\/|$)/, /\/client(\/|$)/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('workflows/ and domain/ import nothing that touches the world', () => {
  const offences: string[] = [];
  for (const file of [...sources(join(ROOT, 'workflows')), ...sources(join(ROOT, 'domain'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
      if (m[1]) continue; // import type: erased at compile time
      if (FORBIDDEN.some((re) => re.test(m[2] ?? ''))) offences.push(`${relative(ROOT, file)} imports ${m[2]}`);
    }
    for (const m of text.matchAll(/\brequire\(\s*'([^']+)'\s*\)/g)) offences.push(`${relative(ROOT, file)} requires ${m[1]}`);
  }
  assert.deepEqual(offences, []);
});
