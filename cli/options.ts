// Small helpers shared by the command groups: repeatable flags, numbers, passphrase flags, output.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { userError } from '../keys/errors.js';
import { getPassphrase } from '../keys/passphrase.js';
import { pair } from '../keys/lang.js';

/**
 * Commander collector for repeatable flags (`--field a=1 --field b=2`).
 * @example cmd.option('--field <id=value>', 'a field', collect, [])
 */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A whole number from a flag value, within [min, max]; URSEAL_E_BAD_VALUE naming the flag.
 * @example parseIntFlag('42', '--index', 0) // 42
 */
export function parseIntFlag(value: string, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw userError('URSEAL_E_BAD_VALUE', 'قيمة عددية غير صالحة', 'invalid number', `${flag} ${JSON.stringify(value)} (${min}..${max})`);
  }
  return n;
}

/** Adds the passphrase flag to a command that reads or writes a key file. */
export function withPassphraseEnv(cmd: Command): Command {
  return cmd.option(
    '--passphrase-env <NAME>',
    'read the passphrase from this environment variable (default: ask on the terminal, no echo)',
  );
}

/**
 * The passphrase for an existing key file (asked once) or a new one (asked twice, minimum length).
 * @example const pass = await passphraseFor({ passphraseEnv: 'URSEAL_ROOT_PASS' }, false);
 */
export function passphraseFor(opts: { passphraseEnv?: string }, creating: boolean): Promise<string> {
  return getPassphrase({
    ...(opts.passphraseEnv !== undefined ? { env: opts.passphraseEnv } : {}),
    confirm: creating,
    enforceLength: creating,
    prompt: `${
      creating
        ? pair({ ar: 'كلمة مرور المفتاح الجديد', ckb: 'وشەی نهێنیی کلیلە نوێیەکە', en: 'New key passphrase' }, undefined, ' / ')
        : pair({ ar: 'كلمة مرور المفتاح', ckb: 'وشەی نهێنیی کلیل', en: 'Key passphrase' }, undefined, ' / ')
    }: `,
  });
}

/** Print a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Print an informational line to stderr (kept off stdout so that stdout stays machine-readable). */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Fail early (before asking for a passphrase) when a key file would be replaced without --force.
 * The atomic write checks again, race-free.
 * @example refuseExisting('root.key', opts.force)
 */
export function refuseExisting(path: string, force: boolean | undefined): void {
  if (!force && existsSync(path)) {
    throw userError(
      'URSEAL_E_FILE_EXISTS',
      'الملف موجود ولن يُستبدل (استخدم --force)',
      'file exists and was not replaced (use --force)',
      path,
    );
  }
}
