import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { setWarn } from '../core/warn.js';
import { CliExit } from './util.js';

/** The `scalelaw` program with every command registered; a fresh one per call (commander keeps parsed values). */
export function buildProgram(): Command {
  const program = new Command('scalelaw')
    .description('Fit scaling laws to small training runs and predict what a large run will do.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  // Commander's own usage errors (unknown option, missing argument) are bad input too: exit 2.
  for (const command of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) command.exitOverride();
  return program;
}

/**
 * Runs `scalelaw` on `argv` (as process.argv: node, script, then the arguments) in this process and
 * returns the exit code: 0, 2 for bad input (one line on stderr), 3 for a failed fit, or a command's
 * own `process.exitCode`. Anything else thrown is a bug and propagates with its stack trace.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  // A command may silence warnings for its own run (isoflop lists them in its report); the next
  // run in this process gets the sink back.
  const sink = setWarn(() => {});
  setWarn(sink);
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    throw error;
  } finally {
    setWarn(sink);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
