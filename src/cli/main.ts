#!/usr/bin/env node
import { runCli } from './program.js';

// `scalelaw ... | head`: once the reader has gone, there is nobody to tell; end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

// Set the exit code and let Node exit once stdout and stderr have drained: process.exit() here
// would cut piped output longer than the pipe's buffer (64 KiB) short. Worker pools and timers are
// closed by the commands; anything left over still ends with the process once output is written.
process.exitCode = await runCli(process.argv);
