// Every patched()/deprecatePatch() id in workflows/ is in the ledger (workflows/patches.ts),
// and every ledger entry is still called somewhere: an id typed wrong would silently make a
// new branch that no history marks, and an entry without a call is a patch retired unnoticed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PATCHES } from '../../workflows/patches';

const dir = join(__dirname, '..', '..', 'workflows');

function idsUsed(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'patches.ts')) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\b(?:patched|deprecatePatch)\(\s*(['"`])([^'"`]+)\1\s*\)/g)) used.set(m[2]!, [...(used.get(m[2]!) ?? []), file]);
    // A call with anything but a literal id escapes this check: refuse it.
    assert.doesNotMatch(text, /\b(?:patched|deprecatePatch)\(\s*[^'"`\s)]/, `${file}: call patched() with a literal id`);
  }
  return used;
}

test('every patched() id in workflows/ is in the ledger, and every ledger entry is used', () => {
  const used = idsUsed();
  for (const [id, files] of used) assert.ok(id in PATCHES, `${files.join(', ')}: patched('${id}') is not in workflows/patches.ts`);
  for (const id of Object.keys(PATCHES)) assert.ok(used.has(id), `workflows/patches.ts lists '${id}', which no workflow calls`);
});

test('ledger entries name a release and say what changed', () => {
  for (const [id, entry] of Object.entries(PATCHES)) {
    assert.match(entry.since, /^\d+\.\d+\.\d+$/, id);
    assert.match(entry.removeAfter, /^\d+\.\d+\.\d+$/, id);
    assert.ok(entry.change.length > 20, `${id}: say what the new branch does differently`);
  }
});
