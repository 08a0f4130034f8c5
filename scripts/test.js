#!/usr/bin/env node
// Runs the test tiers. Usage: node scripts/test.js [unit|workflow|e2e ...] [node --test flags]
// Default: all tiers, as two `node --test` runs side by side: unit + workflow (their own
// Temporal test server, no Docker) and e2e (the one Docker engine and the rig, so one file
// at a time). The first's output is printed once it ends, the second's as it comes.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
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

const filesOf = (list) => list.flatMap((tier) => testFiles(path.join(root, 'test', tier)));

/** One `node --test` run over the files, one file at a time; resolves to its exit code. */
function run(files, output) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...extra, ...files.map((f) => path.relative(root, f))],
      { cwd: root, stdio: ['ignore', output, output] },
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const selected = wanted.length ? wanted : tiers;
  const groups = [selected.filter((t) => t !== 'e2e'), selected.filter((t) => t === 'e2e')].map(filesOf).filter((g) => g.length > 0);
  if (groups.length === 0) {
    console.error('no test files found');
    return 1;
  }
  if (groups.length === 1) return run(groups[0], 'inherit');
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clocker-tests-')), 'unit-and-workflow.log');
  const log = fs.openSync(logFile, 'w');
  const [quick, e2e] = await Promise.all([run(groups[0], log), run(groups[1], 'inherit')]);
  fs.closeSync(log);
  console.log(`\n==== unit and workflow tiers (run beside the e2e tier; exit ${quick}) ====\n`);
  process.stdout.write(fs.readFileSync(logFile));
  console.log(`\n==== exit codes: unit+workflow ${quick}, e2e ${e2e} ====`);
  return quick !== 0 ? quick : e2e;
}

main().then((code) => process.exit(code));
