import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { InputError, show } from '../core/errors.js';
import { onTable, tableToCsv } from '../core/format.js';
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

/** `--format`: how a command prints its result. */
const FORMATS = ['text', 'json', 'csv'] as const;

/**
 * The conventions every command shares, set up before its action runs: `--format text|json|csv`
 * (json is the command's --json; csv prints the tables it renders as CSV on stdout, its other lines
 * going to stderr) and `--quiet` (stderr carries errors only: no progress, notes or warnings; the
 * warnings stay in --json output). Returns what to do once the action has run (or failed).
 */
function conventions(program: Command, actionCommand: Command): (succeeded: boolean) => void {
  const { format = 'text', quiet = false } = program.opts<{ format?: string; quiet?: boolean }>();
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new InputError(`--format: must be text, json or csv, got ${show(format)}`, 'format');
  const hasJson = actionCommand.options.some((o) => o.long === '--json');
  if (format === 'json') {
    if (!hasJson) throw new InputError(`--format json: \`${actionCommand.name()}\` has no JSON output`, 'format');
    actionCommand.setOptionValue('json', true);
  }
  if (format === 'csv' && actionCommand.getOptionValue('json')) throw new InputError('--format csv: give --format csv or --json, not both', 'format');
  const undo: ((succeeded: boolean) => void)[] = [];
  if (quiet) {
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      // Errors start "scalelaw: " (not "scalelaw: warning:") or are commander's "error: ...".
      if ((text.startsWith('scalelaw: ') && !text.startsWith('scalelaw: warning:')) || text.startsWith('error: ')) return write.call(process.stderr, chunk, ...(rest as []));
      return true;
    }) as typeof process.stderr.write;
    undo.push(() => (process.stderr.write = write));
  }
  if (format === 'csv') {
    const tables: string[] = [];
    const previous = onTable((rows, header) => tables.push(tableToCsv(rows, header)));
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => process.stderr.write(chunk)) as typeof process.stdout.write;
    undo.push(() => {
      process.stdout.write = write;
      onTable(previous);
    });
    undo.push((succeeded) => {
      if (!succeeded) return;
      if (tables.length === 0) throw new InputError(`--format csv: \`${actionCommand.name()}\` printed no table`, 'format');
      process.stdout.write(tables.join('\n\n') + '\n');
    });
  }
  return (succeeded) => {
    for (const step of undo) step(succeeded);
  };
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
  const program = buildProgram()
    .option('--format <format>', 'how to print the result: text, json (as --json) or csv (the tables only)')
    .option('--quiet', 'print results and errors only: no progress, notes or warnings on stderr');
  let finish: ((succeeded: boolean) => void) | undefined;
  program.hook('preAction', (_program, actionCommand) => {
    finish = conventions(program, actionCommand);
  });
  try {
    let succeeded = false;
    try {
      await program.parseAsync([...argv]);
      succeeded = true;
    } finally {
      const done = finish;
      finish = undefined;
      done?.(succeeded);
    }
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    if (error instanceof InputError) {
      process.stderr.write(`scalelaw: ${error.message}\n`);
      return 2;
    }
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
