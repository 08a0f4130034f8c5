#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so there is no build step between an edit and a run.
'use strict';
require('tsx/cjs/api').register();
require('../client/cli.ts');
