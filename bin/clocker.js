#!/usr/bin/env node
// Runs the compiled CLI (dist/, made by `clocker setup` or `npm run build`) when it is there
// and no source is newer; otherwise the TypeScript sources through tsx, saying so in a
// terminal (slower to start, but an edit needs no build step).
'use strict';
const path = require('node:path');
const { distProblem, ROOT } = require('./distFreshness.js');

const problem = process.env.CLOCKER_FROM_SOURCES === '1' ? 'CLOCKER_FROM_SOURCES=1' : distProblem();
if (problem === undefined) {
  require(path.join(ROOT, 'dist', 'client', 'cli.js'));
} else {
  // Said to a person (a terminal), not into the output of scripts and tests unless they ask
  // (bench/cli.bench.ts does, to time only the compiled CLI).
  if (process.stderr.isTTY || process.env.CLOCKER_SOURCES_NOTICE === '1') {
    process.stderr.write(`clocker: running from the TypeScript sources (${problem}); \`npm run build\` makes it start faster\n`);
  }
  require('tsx/cjs/api').register();
  require(path.join(ROOT, 'client', 'cli.ts'));
}
