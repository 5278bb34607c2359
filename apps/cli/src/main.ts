import { runCli } from './cli';
import { processIo } from './cli-io';

// A reader that stops early (`scriptripper jobs list | head -1`) closes the pipe: stop quietly,
// as other command line tools do, instead of failing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// `scriptripper ...`: see apps/cli/bin/scriptripper.js for how npx finds it.
runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
