// The key rotation scenario of issue 3, end to end through the built CLI.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_LINE, ok, setupNdc, urseal, workdir } from './helpers.js';

const SIGN = ['--root-key', 'root.key', '--passphrase-env', 'ROOT_PASS', '--out', 'tl.cose'];

function seal(dir: string, key: string, number: string, issuedAt: string): string {
  return ok(dir, [
    'seal',
    '--key',
    key,
    '--passphrase-env',
    'MOJ_PASS',
    '--type',
    'poa',
    '--number',
    number,
    '--field',
    'n=سارة',
    '--issued-at',
    issuedAt,
  ]).stdout.trim();
}

function verify(dir: string, texts: string[], now: string, extra: string[] = []) {
  return urseal(dir, ['verify', ...texts, '--trust-list', 'tl.cose', '--root', 'root.key', '--now', now, ...extra]);
}

function codes(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^[✓✗!] /.test(l))
    .map((l) => l.split(/\s+/)[1]!);
}

describe('key rotation through the CLI', () => {
  it('old and new seals verify after rotation; revoking the old key fails only its seals; rollback is refused', () => {
    const dir = workdir();
    setupNdc(dir);
    // 1. MOJ's first key is admitted and signs.
    ok(dir, [
      'trust-list',
      'add-key',
      'draft.json',
      '--agency',
      'MOJ',
      '--public-key',
      'moj-1.key',
      '--not-before',
      '2026-01-01',
      '--not-after',
      '2028-01-01',
    ]);
    ok(dir, ['trust-list', 'sign', 'draft.json', ...SIGN, '--now', '2026-01-02']);
    const oldSeal = seal(dir, 'moj-1.key', 'A-1', '2026-01-10');
    expect(codes(verify(dir, [oldSeal], '2026-01-15').stdout)).toEqual(['VALID']);

    // 2. A new key is admitted and the old one retired.
    ok(dir, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'moj-2.key', '--passphrase-env', 'MOJ_PASS']);
    ok(dir, ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-2.key', '--not-before', '2026-02-01']);
    ok(dir, ['trust-list', 'retire-key', 'draft.json', '--kid', 'moj-1.key', '--at', '2026-02-01']);
    ok(dir, ['trust-list', 'sign', 'draft.json', ...SIGN, '--now', '2026-02-01']);
    copyFileSync(join(dir, 'tl.cose'), join(dir, 'tl-2.cose'));
    const newSeal = seal(dir, 'moj-2.key', 'B-1', '2026-02-05');
    const lateOldSeal = seal(dir, 'moj-1.key', 'A-2', '2026-02-06');
    const r2 = verify(dir, [oldSeal, newSeal], '2026-02-10');
    expect(codes(r2.stdout)).toEqual(['VALID', 'VALID']);
    expect(r2.code).toBe(0);
    // The retired key signs nothing new.
    expect(codes(verify(dir, [lateOldSeal], '2026-02-10').stdout)).toEqual(['OUTSIDE_KEY_VALIDITY']);

    // 3. The old key is revoked: its seals fail with KEY_REVOKED, the new key's still verify.
    ok(dir, ['trust-list', 'revoke-key', 'draft.json', '--kid', 'moj-1.key', '--at', '2026-03-01', '--reason', 'key stolen']);
    ok(dir, ['trust-list', 'sign', 'draft.json', ...SIGN, '--now', '2026-03-01']);
    const r3 = verify(dir, [oldSeal, newSeal], '2026-03-02', ['--state', 'state.json']);
    expect(codes(r3.stdout)).toEqual(['KEY_REVOKED', 'VALID']);
    expect(r3.code).toBe(1);
    const shown = ok(dir, ['trust-list', 'show', 'tl.cose', '--root', 'root.key', '--json']).stdout;
    expect(JSON.parse(shown)).toMatchObject({
      sequence: 3,
      agencies: [{ keys: [{ status: 'revoked', reason: 'key stolen' }, { status: 'active' }] }],
    });

    // 4. A trust list with a lower sequence number is rejected (the old list would bring the key back).
    const rollback = verify(dir, [oldSeal], '2026-03-02', ['--trust-list', 'tl-2.cose', '--state', 'state.json']);
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toMatch(ERROR_LINE);
    expect(rollback.stderr).toContain('URSEAL_E_TRUST_LIST_ROLLBACK');
    const pinned = urseal(dir, [
      'verify',
      oldSeal,
      '--trust-list',
      'tl-2.cose',
      '--root',
      'root.key',
      '--now',
      '2026-03-02',
      '--min-sequence',
      '3',
    ]);
    expect(pinned.code).toBe(2);
    expect(pinned.stderr).toContain('URSEAL_E_TRUST_LIST_ROLLBACK');
    // Signing never goes back either.
    const lower = urseal(dir, ['trust-list', 'sign', 'draft.json', ...SIGN, '--sequence', '2']);
    expect(lower.code).toBe(2);
    expect(lower.stderr).toContain('URSEAL_E_SEQUENCE');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('root rotation: a list signed by the old root admits the new root, which then signs the next list', () => {
    const dir = workdir();
    setupNdc(dir);
    ok(dir, ['root', 'init', '--out', 'root-2.key', '--passphrase-env', 'ROOT_PASS']);
    ok(dir, ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-1.key', '--not-before', '2026-01-01']);
    ok(dir, ['trust-list', 'add-root', 'draft.json', '--public-key', 'root-2.key', '--name', 'NDC root 2']);
    ok(dir, ['trust-list', 'sign', 'draft.json', ...SIGN, '--now', '2026-01-02']);
    const s = seal(dir, 'moj-1.key', 'R-1', '2026-01-10');
    // The verifier pinned root 1 and remembers the roots of the list it accepted.
    expect(verify(dir, [s], '2026-01-11', ['--state', 'st.json']).code).toBe(0);
    ok(dir, ['trust-list', 'remove-root', 'draft.json', '--kid', 'root.key']);
    ok(dir, [
      'trust-list',
      'sign',
      'draft.json',
      '--root-key',
      'root-2.key',
      '--passphrase-env',
      'ROOT_PASS',
      '--out',
      'tl.cose',
      '--now',
      '2026-01-12',
    ]);
    expect(verify(dir, [s], '2026-01-13', ['--state', 'st.json']).code).toBe(0);
    // Without the remembered roots, root 1 alone does not trust a list signed by root 2.
    const fresh = verify(dir, [s], '2026-01-13');
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain('URSEAL_E_TRUST_LIST_INVALID');
  });
});
