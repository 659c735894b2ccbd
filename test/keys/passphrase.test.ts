// Passphrases come from a named environment variable (or a terminal), never from the command line.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../keys/errors.js';
import { getPassphrase, MIN_PASSPHRASE_LENGTH } from '../../keys/passphrase.js';

describe('getPassphrase', () => {
  it('reads the named variable', async () => {
    process.env['URSEAL_TEST_PASS'] = 'a long enough passphrase';
    await expect(getPassphrase({ env: 'URSEAL_TEST_PASS', enforceLength: true })).resolves.toBe('a long enough passphrase');
  });

  it('unset or empty variable -> URSEAL_E_PASSPHRASE_ENV_UNSET', async () => {
    delete process.env['URSEAL_TEST_UNSET'];
    await expect(getPassphrase({ env: 'URSEAL_TEST_UNSET' })).rejects.toMatchObject({ code: 'URSEAL_E_PASSPHRASE_ENV_UNSET' });
    process.env['URSEAL_TEST_EMPTY'] = '';
    await expect(getPassphrase({ env: 'URSEAL_TEST_EMPTY' })).rejects.toMatchObject({ code: 'URSEAL_E_PASSPHRASE_ENV_UNSET' });
  });

  it('something that is not a variable name is refused without being echoed (it may be the passphrase)', async () => {
    let err: UserError | undefined;
    try {
      await getPassphrase({ env: 'hunter2 secret!' });
    } catch (e) {
      if (e instanceof UserError) err = e;
    }
    expect(err?.code).toBe('URSEAL_E_USAGE');
    expect(err?.line()).not.toContain('hunter2');
  });

  it(`new key files need at least ${MIN_PASSPHRASE_LENGTH} characters`, async () => {
    process.env['URSEAL_TEST_SHORT'] = 'short';
    await expect(getPassphrase({ env: 'URSEAL_TEST_SHORT', enforceLength: true })).rejects.toMatchObject({
      code: 'URSEAL_E_WEAK_PASSPHRASE',
    });
    await expect(getPassphrase({ env: 'URSEAL_TEST_SHORT' })).resolves.toBe('short');
  });

  it('no variable and no terminal -> URSEAL_E_NO_PASSPHRASE', async () => {
    if (process.stdin.isTTY && process.stderr.isTTY) return; // only meaningful without a terminal (CI, vitest workers)
    await expect(getPassphrase({})).rejects.toMatchObject({ code: 'URSEAL_E_NO_PASSPHRASE' });
  });
});
