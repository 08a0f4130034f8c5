'use strict';
// Whether dist/ (the compiled CLI and worker, `npm run build`) may run instead of the
// TypeScript sources: it must exist and be newer than every source file it is built from.
// A stat per file costs a few milliseconds, far less than compiling through tsx.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** The folders tsconfig.build.json compiles. */
const SOURCES = ['domain', 'workflows', 'activities', 'workers', 'client'];
/** Its entries: built last of all by nothing in particular, so each is checked. */
const ENTRIES = [path.join('client', 'cli.js'), path.join('workers', 'main.js')];

function newestSource(dir, newest) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(full, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** undefined when dist/ may run; else why not, in a few words. */
function distProblem(root = ROOT) {
  const dist = path.join(root, 'dist');
  let built = Infinity;
  for (const entry of ENTRIES) {
    try {
      built = Math.min(built, fs.statSync(path.join(dist, entry)).mtimeMs);
    } catch {
      return 'dist/ is not built';
    }
  }
  let newest = 0;
  for (const dir of SOURCES) newest = newestSource(path.join(root, dir), newest);
  return newest > built ? 'dist/ is older than the sources' : undefined;
}

module.exports = { distProblem, ROOT };
