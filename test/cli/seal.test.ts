// `urseal seal` options: link form, bound file, trust-list check before issuing, JSON fields; `show` of drafts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSeal } from '../../core/seal/decode.js';
import { sha256 } from '../../core/hash.js';
import { toHex } from '../../core/bytes.js';
import { spawnSync } from 'node:child_process';
import { ENV, ERROR_LINE, MAIN, ok, setupSignedTrustList, urseal, workdir } from './helpers.js';

let dir: string;
const KEY = ['--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS'];

beforeAll(() => {
  dir = workdir();
  setupSignedTrustList(dir);
  ok(dir, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'unpublished.key', '--passphrase-env', 'MOJ_PASS']);
});

describe('urseal seal', () => {
  it('signs the given claims: fields from a file and flags, serial, status index, expiry, bound file', () => {
    writeFileSync(join(dir, 'fields.json'), JSON.stringify({ n: 'سارة', nid: 1098765432 }));
    writeFileSync(join(dir, 'original.pdf'), '%PDF-1.7 original bytes');
    const text = ok(dir, [
      'seal',
      ...KEY,
      '--type',
      'poa',
      '--number',
      '9/2026',
      '--fields',
      'fields.json',
      '--field',
      'a=محمد',
      '--serial',
      'S-0001',
      '--status-index',
      '12',
      '--expires',
      '2027-01-01',
      '--issued-at',
      '2026-01-10',
      '--file',
      'original.pdf',
    ]).stdout.trim();
    const c = decodeSeal(text).claims;
    expect(c).toMatchObject({
      iss: 'MOJ',
      iat: 1_768_003_200,
      exp: 1_798_761_600,
      doc: { type: 'poa', number: '9/2026', fields: { n: 'سارة', nid: 1098765432, a: 'محمد' }, status: 12 },
    });
    expect(new TextDecoder().decode(c.cti)).toBe('S-0001');
    expect(toHex(c.doc.hash!)).toBe(toHex(sha256(readFileSync(join(dir, 'original.pdf')))));
    expect(c.doc.length).toBe(23);
  });

  it('--link gives the link form, which verify accepts', () => {
    const link = ok(dir, [
      'seal',
      ...KEY,
      '--type',
      'poa',
      '--number',
      'L-1',
      '--issued-at',
      '2026-01-10',
      '--link',
      'https://verify.example/',
    ]).stdout.trim();
    expect(link).toMatch(/^https:\/\/verify\.example\/#UR1B:[A-Z2-7]+$/);
    const r = urseal(dir, ['verify', link, '--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-11']);
    expect(r.stdout).toMatch(/^✓ VALID +MOJ +poa +L-1 /);
  });

  it('seal texts can be piped into verify -', () => {
    const text = ok(dir, ['seal', ...KEY, '--type', 'poa', '--number', 'P-1', '--issued-at', '2026-01-10']).stdout;
    const r = spawnSync(process.execPath, [MAIN, 'verify', '-', '--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-11'], {
      cwd: dir,
      input: `${text}${text}`,
      encoding: 'utf8',
      env: { ...process.env, ...ENV },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^✓ VALID +MOJ +poa +P-1 +stdin:1\n✓ VALID +MOJ +poa +P-1 +stdin:2\n/);
  });

  it('--trust-list refuses to issue with a key the published list does not contain', () => {
    const bad = urseal(dir, [
      'seal',
      '--key',
      'unpublished.key',
      '--passphrase-env',
      'MOJ_PASS',
      '--type',
      'poa',
      '--number',
      'X',
      '--trust-list',
      'tl.cose',
      '--root',
      'root.key',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(ERROR_LINE);
    expect(bad.stderr).toContain('URSEAL_E_SEAL_INVALID');
    expect(bad.stdout).toBe('');
    ok(dir, [
      'seal',
      ...KEY,
      '--type',
      'poa',
      '--number',
      'Y',
      '--trust-list',
      'tl.cose',
      '--root',
      'root.key',
      '--issued-at',
      '2026-01-10',
    ]);
  });

  it('trust-list show prints drafts and signed lists, Arabic first', () => {
    const d = ok(dir, ['trust-list', 'show', 'draft.json']).stdout;
    expect(d).toContain('MOJ  وزارة العدل | Ministry of Justice');
    expect(d).toContain('fields: n (اسم الموكل | Principal), a (اسم الوكيل | Agent)');
    const s = ok(dir, ['trust-list', 'show', 'tl.cose', '--root', 'root.key', '--now', '2026-01-03']).stdout;
    expect(s).toMatch(/^قائمة المفاتيح المعتمدة رقم 1 \| trust list #1, .* signature verified/);
    const exported = JSON.parse(readFileSync(join(dir, 'tl.json'), 'utf8'));
    expect(exported).toMatchObject({
      format: 'urseal-trust-list',
      sequence: 1,
      issuedAt: '2026-01-02T00:00:00Z',
      agencies: [{ id: 'MOJ', keys: [{ status: 'active' }] }],
    });
  });

  it('status-list show checks the signature against the trust list', () => {
    ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '128']);
    ok(dir, ['status-list', 'revoke', 'sl.json', '--index', '3', '--index', '99']);
    ok(dir, ['status-list', 'sign', 'sl.json', ...KEY, '--out', 'sl.cose', '--now', '2026-01-05']);
    const j = JSON.parse(
      ok(dir, ['status-list', 'show', 'sl.cose', '--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-06', '--json']).stdout,
    );
    expect(j).toMatchObject({ issuer: 'MOJ', sequence: 1, size: 128, revoked: [3, 99] });
    ok(dir, ['status-list', 'sign', 'sl.json', ...KEY, '--out', 'sl.cose', '--now', '2026-01-06']);
    expect(JSON.parse(ok(dir, ['status-list', 'show', 'sl.cose', '--json']).stdout).sequence).toBe(2);
    const unpublished = urseal(dir, [
      'status-list',
      'sign',
      'sl.json',
      '--key',
      'unpublished.key',
      '--passphrase-env',
      'MOJ_PASS',
      '--out',
      'sl-bad.cose',
    ]);
    expect(unpublished.code).toBe(0);
    const refused = urseal(dir, ['status-list', 'show', 'sl-bad.cose', '--trust-list', 'tl.cose', '--root', 'root.key']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('URSEAL_E_STATUS_LIST_INVALID');
  });
});
