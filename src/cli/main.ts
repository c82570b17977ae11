#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';

const program = new Command('scalelaw')
  .description('Fit scaling laws to small training runs and predict what a large run will do.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

for (const register of commands) register(program);

// Commander's own usage errors (unknown option, missing argument) are bad input too: exit 2.
for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') process.exit(0);
    process.exit(2);
  }
  throw error;
}
