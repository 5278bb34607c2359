#!/usr/bin/env node
// `npx scriptripper` (the root package.json's bin): runs the CLI compiled by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '../../../dist/apps/cli/src/main.js');
if (!existsSync(main)) {
  process.stderr.write('scriptripper is not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
require(main);
