// `urseal root init`: create an NDC root key in a passphrase-encrypted key file.
import type { Command } from 'commander';
import { writeNewKeyFile } from '../../keys/key-file.js';
import { out, passphraseFor, refuseExisting, withPassphraseEnv } from '../options.js';

interface InitOptions {
  out: string;
  name?: string;
  passphraseEnv?: string;
  force?: boolean;
}

/**
 * Create a root key file; prints its kid and public key (what verifiers pin with --root).
 * @example await rootInit({ out: 'root.key', passphraseEnv: 'URSEAL_ROOT_PASS' })
 */
export async function rootInit(opts: InitOptions): Promise<void> {
  refuseExisting(opts.out, opts.force);
  const passphrase = await passphraseFor(opts, true);
  const header = writeNewKeyFile(opts.out, {
    kind: 'root',
    passphrase,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    overwrite: opts.force ?? false,
  });
  out(`kid ${header.kid}`);
  out(`publicKey ${header.publicKey}`);
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
