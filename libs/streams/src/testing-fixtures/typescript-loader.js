// Loads the TypeScript file given as argument, compiling each required .ts file with @swc/core.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = JSON.parse(process.env.SWC_OPTIONS);
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
require(process.argv[2]);
