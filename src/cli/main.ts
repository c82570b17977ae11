#!/usr/bin/env node
import { runCli } from './program.js';

// `scalelaw ... | head`: once the reader has gone, there is nobody to tell; end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

process.exit(await runCli(process.argv));
