// The shared step of `urseal root init` and `urseal agency keygen`: a new encrypted key file, then its kid.
import { writeNewKeyFile, type CreateKeyFileOptions } from '../keys/key-file.js';
import { out, passphraseFor, refuseExisting } from './options.js';

/** Flags both commands take. */
export interface NewKeyOptions {
  out: string;
  name?: string;
  passphraseEnv?: string;
  force?: boolean;
}

/**
 * Write a new passphrase-encrypted key file (atomic, mode 0600; an existing file only with --force) and
 * print its kid and public key: what the NDC pins (root) or publishes (agency).
 * @example await createKeyFile({ out: 'root.key', passphraseEnv: 'ROOT_PASS' }, { kind: 'root' })
 */
export async function createKeyFile(opts: NewKeyOptions, key: Pick<CreateKeyFileOptions, 'kind' | 'agency'>): Promise<void> {
  refuseExisting(opts.out, opts.force);
  const passphrase = await passphraseFor(opts, true);
  const header = writeNewKeyFile(opts.out, {
    ...key,
    passphrase,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    overwrite: opts.force ?? false,
  });
  out(`kid ${header.kid}`);
  out(`publicKey ${header.publicKey}`);
}
