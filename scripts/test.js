#!/usr/bin/env node
// Runs the test tiers in one `node --test` invocation so CI reads one summary.
// Usage: node scripts/test.js [unit|workflow|e2e ...]   (default: all tiers, in that order)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const tiers = ['unit', 'workflow', 'e2e'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
for (const tier of wanted) {
  if (!tiers.includes(tier)) {
    console.error(`unknown tier "${tier}": expected one of ${tiers.join(', ')}`);
    process.exit(2);
  }
}

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

const files = (wanted.length ? wanted : tiers).flatMap((tier) => testFiles(path.join(root, 'test', tier)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Files run one at a time: the workflow and end-to-end tiers share one Docker engine and
// the machine has two cores.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...extra, ...files.map((f) => path.relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
