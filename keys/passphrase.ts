// Passphrases: from an environment variable the user names, or typed at a terminal without echo; never from argv.
import { userError } from './errors.js';
import { pair } from './lang.js';

/** Shortest passphrase accepted for a new key file. */
export const MIN_PASSPHRASE_LENGTH = 12;

export interface PassphraseOptions {
  /** Name of the environment variable holding the passphrase (e.g. URSEAL_ROOT_PASS). */
  env?: string;
  /** Ask twice and require both to match (creating a key file). */
  confirm?: boolean;
  /** What the prompt says (both languages). */
  prompt?: string;
  /** Enforce MIN_PASSPHRASE_LENGTH (new key files). */
  enforceLength?: boolean;
}

/**
 * Read a passphrase from `process.env[env]`, or else prompt on the terminal with echo off.
 * Errors: URSEAL_E_PASSPHRASE_ENV_UNSET, URSEAL_E_NO_PASSPHRASE (no terminal and no variable),
 * URSEAL_E_PASSPHRASE_MISMATCH, URSEAL_E_WEAK_PASSPHRASE.
 * @example const pass = await getPassphrase({ env: 'URSEAL_ROOT_PASS' });
 */
export async function getPassphrase(options: PassphraseOptions = {}): Promise<string> {
  let pass: string;
  if (options.env !== undefined) {
    // Never echo what was given if it does not look like a variable name: it may be the passphrase itself.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(options.env)) {
      throw userError(
        'URSEAL_E_USAGE',
        '--passphrase-env يأخذ اسم متغير بيئة لا كلمة المرور نفسها',
        '--passphrase-env takes the NAME of an environment variable, not the passphrase',
      );
    }
    const v = process.env[options.env];
    if (v === undefined || v === '') {
      throw userError(
        'URSEAL_E_PASSPHRASE_ENV_UNSET',
        'متغير البيئة غير معرَّف أو فارغ',
        'environment variable is not set or empty',
        options.env,
      );
    }
    pass = v;
  } else {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw userError(
        'URSEAL_E_NO_PASSPHRASE',
        'لا توجد طرفية لطلب كلمة المرور؛ استخدم --passphrase-env',
        'no terminal to ask for the passphrase; use --passphrase-env NAME',
      );
    }
    const prompt = options.prompt ?? `${pair({ ar: 'كلمة المرور', ckb: 'وشەی نهێنی', en: 'Passphrase' }, undefined, ' / ')}: `;
    pass = await promptHidden(prompt);
    if (options.confirm) {
      const again = await promptHidden(`${pair({ ar: 'أعد كتابتها', ckb: 'دووبارەی بنووسەوە', en: 'Repeat' }, undefined, ' / ')}: `);
      if (again !== pass) throw userError('URSEAL_E_PASSPHRASE_MISMATCH', 'كلمتا المرور غير متطابقتين', 'the two passphrases differ');
    }
  }
  if (options.enforceLength && [...pass].length < MIN_PASSPHRASE_LENGTH) {
    throw userError(
      'URSEAL_E_WEAK_PASSPHRASE',
      `كلمة المرور أقصر من ${MIN_PASSPHRASE_LENGTH} حرفاً`,
      `passphrase shorter than ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
  return pass;
}

/** Read one line from the TTY in raw mode, echoing nothing. Ctrl-C aborts with exit status 130. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    // Echo off before the prompt shows: an answer typed as soon as it appears must not be echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    let buf = '';
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(buf);
          return;
        }
        if (ch === '\u0003') {
          done();
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') buf = [...buf].slice(0, -1).join('');
        else if (ch >= ' ') buf += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
