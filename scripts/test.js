#!/usr/bin/env node
// Runs the test tiers. Usage: node scripts/test.js [unit|workflow|e2e|prod ...] [node --test flags]
// Default: all tiers, as three `node --test` runs side by side: unit + workflow (their own
// Temporal test server, no Docker), e2e (the local Docker engine, one file at a time) and prod
// (its own Temporal cluster on PostgreSQL from scripts/prod-stack.sh, two workers, the Docker
// engine under its own names) followed by the e2e files marked `e2e-group: beside` (their own
// rig hosts, or unique names on free ports). The e2e output is printed as it comes, the
// others' once everything has ended.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const tiers = ['unit', 'workflow', 'e2e', 'prod'];
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

// End-to-end files that share nothing with the others but the engine's capacity (their own rig
// hosts, or only uniquely named apps on free ports) say so with this marker in their header;
// they run in the group beside the local-engine files, so the e2e time is shared by two.
const BESIDE_MARKER = 'e2e-group: beside';
const besides = (file) => fs.readFileSync(file, 'utf8').slice(0, 2000).includes(BESIDE_MARKER);

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
  const e2e = filesOf(selected.filter((t) => t === 'e2e'));
  const groups = [
    { name: 'unit and workflow', tiers: selected.filter((t) => t === 'unit' || t === 'workflow'), files: filesOf(selected.filter((t) => t === 'unit' || t === 'workflow')) },
    { name: 'e2e', tiers: ['e2e'], files: e2e.filter((f) => !besides(f)) },
    // The "beside" files are dealt alternately to two runs, one after the prod tier: each run
    // mostly waits on engines, SSH and timers, so two of them share the two cores well.
    { name: 'prod and e2e beside', tiers: ['prod', 'e2e'], files: [...filesOf(selected.filter((t) => t === 'prod')), ...e2e.filter(besides).filter((_, i) => i % 2 === 1)] },
    { name: 'e2e beside', tiers: ['e2e'], files: e2e.filter(besides).filter((_, i) => i % 2 === 0) },
  ].filter((g) => g.files.length > 0);
  if (groups.length === 0) {
    console.error('no test files found');
    return 1;
  }
  if (groups.length === 1) return run(groups[0].files, 'inherit');
  // One group prints as it runs (e2e when present); the others write to files shown after.
  const live = groups.find((g) => g.name === 'e2e') ?? groups[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clocker-tests-'));
  const codes = await Promise.all(
    groups.map(async (g) => {
      if (g === live) return run(g.files, 'inherit');
      const logFile = path.join(dir, `${g.name.replace(/\W+/g, '-')}.log`);
      const log = fs.openSync(logFile, 'w');
      const code = await run(g.files, log);
      fs.closeSync(log);
      g.logFile = logFile;
      return code;
    }),
  );
  for (const g of groups) {
    if (g === live) continue;
    console.log(`\n==== ${g.name} tier${g.tiers.length > 1 ? 's' : ''} (run beside the ${live.name} tier; exit ${codes[groups.indexOf(g)]}) ====\n`);
    process.stdout.write(fs.readFileSync(g.logFile));
  }
  console.log(`\n==== exit codes: ${groups.map((g, i) => `${g.name} ${codes[i]}`).join(', ')} ====`);
  return codes.find((c) => c !== 0) ?? 0;
}

main().then((code) => process.exit(code));
