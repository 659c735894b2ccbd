// The commander program of `urseal`: one-line bilingual errors, exit status 2 for every usage error, no stack traces.
import { Command, CommanderError } from 'commander';
import { UserError } from '../keys/errors.js';

/** Exit status for usage errors and every error a user can cause. */
export const EXIT_USAGE = 2;

/**
 * The root command with shared settings; command groups are added to it with their `register(program)`.
 * Subcommands created with `program.command()` inherit the output and exit settings set here.
 * @example const program = createProgram(); registerVerify(program); await runProgram(program, process.argv);
 */
export function createProgram(): Command {
  const program = new Command('urseal');
  program
    .description('urseal: أختام رقمية للوثائق يمكن التحقق منها دون اتصال | offline-verifiable document seals')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      // Commander's own errors (unknown option, missing argument ...) as one urseal line.
      outputError: (str, write) => write(`${usageLine(str)}\n`),
    })
    .exitOverride();
  return program;
}

const VERSION = '0.1.0';

/**
 * Commander quotes an unknown option as typed, value included (`--passphrase=secret`, `-psecret`): keep only
 * the option's name, so that a mistyped secret never reaches a terminal, a log or a CI transcript.
 */
function withoutOptionValues(message: string): string {
  return message.replace(/unknown option '([^']*)'/g, (_all, typed: string) => {
    const name = typed.startsWith('--') ? typed.replace(/=.*$/s, '=…') : typed.length > 2 ? `${typed.slice(0, 2)}…` : typed;
    return `unknown option '${name}'`;
  });
}

function usageLine(commanderMessage: string): string {
  const en = withoutOptionValues(commanderMessage)
    .replace(/^error:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `urseal: URSEAL_E_USAGE: استخدام غير صحيح للأمر (انظر --help) | ${en} (see --help)`;
}

/**
 * Print a user error (or an unexpected one) as a single line on stderr. Set URSEAL_DEBUG=1 to see the
 * stack of unexpected errors.
 * @example process.exitCode = reportError(e);
 */
export function reportError(e: unknown): number {
  if (e instanceof UserError) {
    process.stderr.write(`${e.line()}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CommanderError) {
    // Help and version end with 0; commander already printed any error message.
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`urseal: URSEAL_E_INTERNAL: خطأ داخلي غير متوقع | unexpected internal error: ${message.replace(/\s+/g, ' ')}\n`);
  if (process.env['URSEAL_DEBUG'] === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return EXIT_USAGE;
}

/**
 * Parse argv and run the chosen command; sets `process.exitCode` (an action may set 0 or 1 itself).
 * @example await runProgram(program, process.argv);
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  // A reader that stops early (`urseal verify ... | head`) closes the pipe: stop quietly, no stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(
      `urseal: URSEAL_E_WRITE_FAILED: تعذّرت الكتابة إلى المخرج القياسي | cannot write to standard output (${e.code ?? e.message})\n`,
    );
    process.exit(EXIT_USAGE);
  });
  // With a listener, Ctrl-C is handled between JavaScript steps, never inside one: the synchronous
  // temp-file-fsync-rename of writeFileAtomic then always completes or never starts (no stray temp files).
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    process.exitCode = reportError(e);
  }
}
