// The commander program of `urseal`: one-line bilingual errors, exit status 2 for every usage error, no stack traces.
import { Command, CommanderError } from 'commander';
import { UserError, userError } from '../keys/errors.js';
import { LANGS, currentLang, pair, parseLang, setLang } from '../keys/lang.js';
import { localDescription } from './help-text.js';

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
    .option('--lang <ar|ckb|en>', 'language of messages: ar (Arabic, default), ckb (Kurdish Sorani) or en; or URSEAL_LANG')
    .showSuggestionAfterError(true)
    // Descriptions are registered `<Arabic> | <English>`; help shows them in the reader's language.
    .configureHelp({
      commandDescription: (cmd) => localDescription(cmd.description(), currentLang()),
      subcommandDescription: (cmd) => localDescription(cmd.summary() || cmd.description(), currentLang()),
    })
    .configureOutput({
      // Commander's own errors (unknown option, missing argument ...) as one urseal line.
      outputError: (str, write) => write(`${usageLine(str)}\n`),
    })
    .exitOverride()
    // `--lang` after the command name (`urseal verify --lang ckb ...`): chosen before the command runs.
    .hook('preAction', (cmd) => {
      const given = (cmd.optsWithGlobals() as { lang?: string }).lang;
      if (given !== undefined) chooseLanguage(['--lang', given], undefined);
    });
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
  const lead = { ar: 'استخدام غير صحيح للأمر (انظر --help)', ckb: 'فەرمانەکە بە هەڵە بەکارهێنراوە (بڕوانە --help)' };
  return `urseal: URSEAL_E_USAGE: ${pair({ ...lead, en: `${en} (see --help)` })}`;
}

/**
 * Choose the language of messages before anything is printed: a `--lang X` (or `--lang=X`) given before the
 * command name, else URSEAL_LANG, else Arabic. Returns argv without that option, so that the command name
 * comes next. A language urseal does not know is a usage error (in Arabic, the default).
 * @example const args = chooseLanguage(process.argv.slice(2), process.env['URSEAL_LANG']);
 */
export function chooseLanguage(args: readonly string[], env: string | undefined): string[] {
  let rest = [...args];
  let given: string | undefined;
  let from = 'URSEAL_LANG';
  if (rest[0] === '--lang' && rest.length > 1) {
    given = rest[1];
    rest = rest.slice(2);
    from = '--lang';
  } else if (rest[0]?.startsWith('--lang=')) {
    given = rest[0].slice('--lang='.length);
    rest = rest.slice(1);
    from = '--lang';
  } else if (env !== undefined && env !== '') {
    given = env;
  }
  if (given === undefined) {
    setLang('ar');
    return rest;
  }
  const lang = parseLang(given);
  if (lang === undefined) {
    setLang('ar');
    throw userError(
      'URSEAL_E_USAGE',
      'لغة غير معروفة',
      `unknown language, use one of ${LANGS.join(', ')}`,
      `${from} ${JSON.stringify(given)}`,
    );
  }
  setLang(lang);
  return rest;
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
  const text = { ar: 'خطأ داخلي غير متوقع', ckb: 'هەڵەیەکی ناوخۆیی چاوەڕواننەکراو', en: 'unexpected internal error' };
  process.stderr.write(`urseal: URSEAL_E_INTERNAL: ${pair(text)}: ${message.replace(/\s+/g, ' ')}\n`);
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
    const text = {
      ar: 'تعذّرت الكتابة إلى المخرج القياسي',
      ckb: 'نووسین بۆ دەرچووی ستاندارد (stdout) نەکرا',
      en: 'cannot write to standard output',
    };
    process.stderr.write(`urseal: URSEAL_E_WRITE_FAILED: ${pair(text)} (${e.code ?? e.message})\n`);
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
