// `urseal agency keygen`: create an agency signing key; print its kid and public key for the NDC.
import type { Command } from 'commander';
import { userError } from '../../keys/errors.js';
import { createKeyFile, type NewKeyOptions } from '../new-key.js';
import { withPassphraseEnv } from '../options.js';

interface KeygenOptions extends NewKeyOptions {
  agency: string;
}

/**
 * Create an agency key file; prints kid and public key (handed to the NDC for `trust-list add-key`).
 * @example await agencyKeygen({ agency: 'MOJ', out: 'moj-1.key', passphraseEnv: 'MOJ_PASS' })
 */
export async function agencyKeygen(opts: KeygenOptions): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(opts.agency)) {
    throw userError('URSEAL_E_BAD_VALUE', 'معرّف جهة غير صالح', 'invalid agency id', `--agency ${JSON.stringify(opts.agency)}`);
  }
  await createKeyFile(opts, { kind: 'agency', agency: opts.agency });
}

/**
 * Register `urseal agency ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const agency = program.command('agency').description('مفاتيح الجهات | agency keys');
  withPassphraseEnv(
    agency
      .command('keygen')
      .description('إنشاء مفتاح توقيع لجهة | create an agency signing key file')
      .requiredOption('--agency <id>', 'agency id as in the trust list, e.g. MOJ')
      .requiredOption('-o, --out <file>', 'key file to create (mode 0600)')
      .option('--name <text>', 'a name for the key, e.g. "MOJ 2026-1"')
      .option('--force', 'replace an existing key file'),
  ).action(agencyKeygen);
}
