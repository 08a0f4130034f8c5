#!/usr/bin/env node
'use strict';
// Runs the test tiers: `node scripts/test.js [unit|workflow|e2e|prod]… [node --test flags]`.
//
// With several tiers, groups run side by side (most of an end-to-end test's time is waiting on
// Docker, SSH and Temporal, not the CPU): the unit tier in one `node --test`; the e2e files
// that use the local engine's shared names and ports one after another (their output is live);
// and the workflow tier (each file its own dev server), the files marked `// e2e-group: beside`
// (own rig hosts, unique names) and the production tier, dealt to BESIDE_GROUPS groups longest
// first, by each file's duration in the last run (kept in the cache, else
// scripts/test-durations.json), so the groups end together. Outside the unit group each file is
// its own `node --test`, timed, its output under a header naming it.
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

const BESIDE_GROUPS = Number(process.env.CLOCKER_TEST_BESIDE_GROUPS ?? 4);
/** A file never timed yet counts as this long when dealing. */
const UNKNOWN_FILE_S = 90;
const durationsCache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'clocker', 'test-durations.json');
const durationsBaseline = path.join(__dirname, 'test-durations.json');

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

const filesOf = (list) => list.flatMap((tier) => testFiles(path.join(root, 'test', tier)));
const rel = (f) => path.relative(root, f);

const BESIDE_MARKER = 'e2e-group: beside';
const besides = (file) => fs.readFileSync(file, 'utf8').slice(0, 2000).includes(BESIDE_MARKER);

function readDurations(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return {};
    throw new Error(`${file}: ${err.message} (delete it to start over)`);
  }
}

/** Longest first, each to the group that ends soonest. */
function deal(files, count, durations) {
  const groups = Array.from({ length: count }, () => ({ files: [], seconds: 0 }));
  const cost = (f) => durations[rel(f)] ?? UNKNOWN_FILE_S;
  for (const f of [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b))) {
    const g = groups.reduce((best, x) => (x.seconds < best.seconds ? x : best));
    g.files.push(f);
    g.seconds += cost(f);
  }
  return groups.filter((g) => g.files.length > 0);
}

/** Lines kept of one failing file's report, for the digest at the end. */
const DIGEST_LINES = 80;
/** Failing files' reports (from node's "✖ failing tests:"), printed again last: CI shows the end of the output. */
const digests = [];

/**
 * One `node --test` run over the files, one file at a time; resolves to its exit code. With
 * `digestOf`, the output also passes through here so a failure's report can be repeated at the end.
 */
function run(files, output, digestOf) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...extra, ...files.map(rel)], {
      cwd: root,
      stdio: ['ignore', digestOf ? 'pipe' : output, digestOf ? 'pipe' : output],
    });
    const chunks = [];
    const pass = (chunk) => {
      if (output === 1) process.stdout.write(chunk);
      else fs.writeSync(output, chunk);
      chunks.push(chunk);
    };
    child.stdout?.on('data', pass);
    child.stderr?.on('data', pass);
    child.on('close', (code, signal) => {
      const result = code ?? (signal ? 1 : 0);
      if (digestOf && result !== 0) {
        const text = Buffer.concat(chunks).toString();
        const at = text.lastIndexOf('✖ failing tests:');
        const lines = (at >= 0 ? text.slice(at) : text).split('\n');
        const kept = at >= 0 ? lines.slice(0, DIGEST_LINES) : lines.slice(-DIGEST_LINES);
        digests.push(`---- ${digestOf}: exit ${result} ----\n${kept.join('\n')}${lines.length > kept.length ? `\n… (${lines.length - kept.length} more lines in its full output above)` : ''}`);
      }
      resolve(result);
    });
  });
}

/** Each file on its own, timed into `durations`; the first failing code, once all ran. */
async function runEach(files, log, durations) {
  let failed = 0;
  for (const f of files) {
    fs.writeSync(log, `\n---- ${rel(f)} ----\n`);
    const began = Date.now();
    const code = await run([f], log, rel(f));
    const seconds = Math.round((Date.now() - began) / 1000);
    durations[rel(f)] = seconds;
    fs.writeSync(log, `---- ${rel(f)}: exit ${code} after ${seconds} s ----\n`);
    if (code !== 0 && failed === 0) failed = code;
  }
  return failed;
}

async function main() {
  const selected = wanted.length ? wanted : tiers;
  const e2e = filesOf(selected.filter((t) => t === 'e2e'));
  const known = { ...readDurations(durationsBaseline), ...readDurations(durationsCache) };
  const besideFiles = [...filesOf(selected.filter((t) => t === 'prod' || t === 'workflow')), ...e2e.filter(besides)];
  const groups = [
    { name: 'unit', files: filesOf(selected.filter((t) => t === 'unit')), each: false },
    { name: 'e2e', files: e2e.filter((f) => !besides(f)), each: true },
    ...deal(besideFiles, BESIDE_GROUPS, known).map((g, i) => ({ name: `beside ${i + 1} (~${g.seconds} s)`, files: g.files, each: true })),
  ].filter((g) => g.files.length > 0);
  if (groups.length === 0) {
    console.error('no test files found');
    return 1;
  }
  if (groups.length === 1 && (!groups[0].each || groups[0].files.length === 1)) return run(groups[0].files, 'inherit');
  const live = groups.find((g) => g.name === 'e2e') ?? groups[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clocker-tests-'));
  const timed = {};
  const began = Date.now();
  console.log(`groups: ${groups.map((g) => `${g.name}: ${g.files.length} files`).join('; ')} (logs of the others in ${dir})`);
  const codes = await Promise.all(
    groups.map(async (g) => {
      let code;
      if (g === live) {
        // Live: straight to this process's output (fd 1), as it happens.
        code = g.each ? await runEach(g.files, 1, timed) : await run(g.files, 'inherit');
      } else {
        g.logFile = path.join(dir, `${g.name.replace(/\W+/g, '-')}.log`);
        const log = fs.openSync(g.logFile, 'w');
        code = g.each ? await runEach(g.files, log, timed) : await run(g.files, log);
        fs.closeSync(log);
      }
      g.seconds = Math.round((Date.now() - began) / 1000);
      return code;
    }),
  );
  for (const g of groups) {
    if (!g.logFile) continue;
    console.log(`\n==== ${g.name} (beside the ${live.name} group; exit ${codes[groups.indexOf(g)]}, done after ${g.seconds} s) ====\n`);
    process.stdout.write(fs.readFileSync(g.logFile));
  }
  if (Object.keys(timed).length > 0) {
    fs.mkdirSync(path.dirname(durationsCache), { recursive: true });
    fs.writeFileSync(durationsCache, `${JSON.stringify({ ...readDurations(durationsCache), ...timed }, null, 2)}\n`);
  }
  if (digests.length > 0) console.log(`\n==== failing files, their reports again ====\n${digests.join('\n\n')}`);
  console.log(`\n==== exit codes: ${groups.map((g, i) => `${g.name} ${codes[i]} (${g.seconds} s)`).join(', ')}; ${Math.round((Date.now() - began) / 1000)} s ====`);
  return codes.find((c) => c !== 0) ?? 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
