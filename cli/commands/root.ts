// `urseal root init`: create an NDC root key in a passphrase-encrypted key file.
import type { Command } from 'commander';
import { createKeyFile, type NewKeyOptions } from '../new-key.js';
import { withPassphraseEnv } from '../options.js';

type InitOptions = NewKeyOptions;

/**
 * Create a root key file; prints its kid and public key (what verifiers pin with --root).
 * @example await rootInit({ out: 'root.key', passphraseEnv: 'URSEAL_ROOT_PASS' })
 */
export async function rootInit(opts: InitOptions): Promise<void> {
  await createKeyFile(opts, { kind: 'root' });
}

/**
 * Register `urseal root ...`.
 * @example register(program)
 */
export function register(program: Command): void {
  const root = program.command('root').description('مفاتيح الجذر لمركز البيانات الوطني | NDC root keys');
  withPassphraseEnv(
    root
      .command('init')
      .description('إنشاء مفتاح جذر مشفَّر | create an encrypted root key file')
      .requiredOption('-o, --out <file>', 'key file to create (mode 0600)')
      .option('--name <text>', 'a name for the key, e.g. "NDC root 2026"')
      .option('--force', 'replace an existing key file'),
  ).action(rootInit);
}
