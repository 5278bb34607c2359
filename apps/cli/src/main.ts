import { runCli } from './cli';
import { processIo } from './cli-io';

// `scriptripper ...`: see apps/cli/bin/scriptripper.js for how npx finds it.
runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
