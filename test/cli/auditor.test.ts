// Issue 11 on the command line: an auditor's real folder (odd files, SVGs), nothing half-done, dates, reports that
// name each row, and seal text that cannot be misread (refused at issuance, shown neutralised from older seals).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/bytes.js';
import { decodeSign1, encodeProtected, signSign1Sync } from '../../core/cose/sign1.js';
import { keyId } from '../../core/hash.js';
import { encodeClaims } from '../../core/seal/claims.js';
import { decodeSeal } from '../../core/seal/decode.js';
import { coseToSealText } from '../../core/seal/pack.js';
import { decodeTrustListPayload } from '../../core/trust-list/codec.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { ENV, ERROR_LINE, ok, setupSignedTrustList, signTrustList, signTrustListArgs, urseal, workdir } from './helpers.js';

let dir: string;
let good: string;
const NOW = '2026-01-20';
const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', NOW];
const KEY = ['--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS'];

function seal(args: string[], expected = 0) {
  return ok(dir, ['seal', ...KEY, '--type', 'poa', '--field', 'n=سارة', '--issued-at', '2026-01-10', ...args], expected);
}

/** A seal as an older urseal could sign it (no issuance text rules), with the CLI test world's MOJ key. */
async function legacySeal(number: string, fields: Record<string, string>): Promise<string> {
  const k = await loadKeyFile(join(dir, 'moj-1.key'), 'agency', () => Promise.resolve(ENV.MOJ_PASS));
  const claims = encodeClaims({
    iss: 'MOJ',
    iat: Date.UTC(2026, 0, 10) / 1000,
    cti: new Uint8Array([1, 2, 3, 4]),
    doc: { type: 'poa', number, fields },
  });
  return coseToSealText(signSign1Sync(k.backend, k.key, encodeProtected(keyId(k.key.publicKey)), claims));
}

beforeAll(() => {
  dir = workdir();
  setupSignedTrustList(dir);
  good = seal(['--number', '1447/2026', '--serial', 'S-1', '--qr', 'good.svg']).stdout.trim();
});

describe('an auditor’s real folder', () => {
  it('a non-UTF-8 text file or a binary file is one NO_SEAL row, never an abort of the batch', () => {
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x55, 0x52, 0x31, 0x3a, 0xe9, 0xe8, 0x0a]));
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0x00, 0x9f]));
    writeFileSync(join(dir, 'tail.txt'), `${good}\n`);
    const r = urseal(dir, ['verify', 'latin1.txt', 'blob.bin', 'tail.txt', '--json', ...TRUST]);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: { input: string; code: string }) => [x.input, x.code])).toEqual([
      ['latin1.txt', 'NO_SEAL'],
      ['blob.bin', 'NO_SEAL'],
      ['tail.txt', 'VALID'],
    ]);
    expect(j.results[0].reason).toMatch(/^not a seal text, image or PDF/);
    expect(j.results[1].reason).toMatch(/^not a seal text, image or PDF/);
  });

  it('an SVG that urseal seal wrote verifies, named and inside a folder; another SVG is NO_SEAL', () => {
    mkdirSync(join(dir, 'svgs'), { recursive: true });
    writeFileSync(join(dir, 'svgs', 'a.svg'), readFileSync(join(dir, 'good.svg')));
    writeFileSync(join(dir, 'svgs', 'b.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>');
    const r = urseal(dir, ['verify', 'good.svg', 'svgs', ...TRUST]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0], r.stderr).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +good\.svg$/);
    expect(lines[1]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +svgs\/a\.svg$/);
    expect(lines[2]).toMatch(/^✗ NO_SEAL .*svgs\/b\.svg$/);
    // The SVG with a size for print (35 mm) reads too.
    seal(['--number', '1450/2026', '--qr', 'sized.svg', '--qr-size', '35mm']);
    expect(urseal(dir, ['verify', 'sized.svg', ...TRUST]).stdout).toMatch(/^✓ VALID +MOJ +poa +1450\/2026 /);
  });
});

describe('nothing is half-done', () => {
  it('trust-list sign with a bad --json path writes nothing and leaves the sequence as it was', () => {
    const before = readFileSync(join(dir, 'tl.cose'));
    const draftBefore = JSON.parse(readFileSync(join(dir, 'draft.json'), 'utf8')).lastSequence;
    const r = urseal(dir, [...signTrustListArgs('2026-01-03'), '--json', 'no/such/folder/tl.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toContain('URSEAL_E_WRITE_FAILED');
    expect(readFileSync(join(dir, 'tl.cose')).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'draft.json'), 'utf8')).lastSequence).toBe(draftBefore);
    expect(decodeTrustListPayload(decodeSign1(new Uint8Array(before)).payload).sequence).toBe(draftBefore);
  });

  it('--state in a missing folder is refused before any verdict is printed', () => {
    const r = urseal(dir, ['verify', good, '--state', 'no/such/folder/state.json', ...TRUST]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toContain('URSEAL_E_WRITE_FAILED');
  });
});

describe('dates', () => {
  it('impossible dates are refused, not rolled over', () => {
    for (const d of ['2026-02-30', '2026-04-31', '2025-02-29', '2026-01-01T24:00:00Z', '2026-01-01T10:60', '2026-01-01T10:00+25:00']) {
      const r = urseal(dir, ['verify', good, '--trust-list', 'tl.cose', '--root', 'root.key', '--now', d]);
      expect(r.code, d).toBe(2);
      expect(r.stderr, d).toMatch(ERROR_LINE);
      expect(r.stderr, d).toContain('URSEAL_E_BAD_DATE');
    }
    // A real leap day is a date.
    expect(urseal(dir, ['verify', good, '--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2028-02-29']).stderr).not.toContain(
      'URSEAL_E_BAD_DATE',
    );
  });

  it('--not-after DAY includes that whole day; messages show dates, not seconds', () => {
    const d = workdir();
    setupSignedTrustList(d);
    ok(d, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'moj-2.key', '--passphrase-env', 'MOJ_PASS']);
    ok(d, [
      'trust-list',
      'add-key',
      'draft.json',
      '--agency',
      'MOJ',
      '--public-key',
      'moj-2.key',
      '--not-before',
      '2026-01-01',
      '--not-after',
      '2026-01-31',
    ]);
    const shown = ok(d, ['trust-list', 'show', 'draft.json']).stdout;
    expect(shown).toContain('2026-01-31T23:59:59Z');
    signTrustList(d);
    const sealAt = (at: string) =>
      ok(d, [
        'seal',
        '--key',
        'moj-2.key',
        '--passphrase-env',
        'MOJ_PASS',
        '--type',
        'poa',
        '--number',
        at,
        '--issued-at',
        at,
      ]).stdout.trim();
    const trust = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-02-02', '--details'];
    const lastMinute = urseal(d, ['verify', sealAt('2026-01-31T23:30:00Z'), ...trust]);
    expect(lastMinute.stdout, lastMinute.stderr).toMatch(/^✓ VALID /);
    const nextDay = urseal(d, ['verify', sealAt('2026-02-01T00:00:01Z'), ...trust]);
    expect(nextDay.stdout).toMatch(/^✗ OUTSIDE_KEY_VALIDITY /);
    expect(nextDay.stdout).toContain('(issued 2026-02-01T00:00:01Z, key valid 2026-01-01T00:00:00Z to 2026-01-31T23:59:59Z)');
    expect(nextDay.stdout).not.toMatch(/\b1[0-9]{9}\b/);
  });

  it('an unknown option never echoes its value (a mistyped passphrase)', () => {
    for (const args of [
      ['verify', good, '--passphrase=hunter2-secret'],
      ['seal', '--pasphrase-env=hunter2-secret', '--key', 'k'],
      ['verify', good, '-Xhunter2-secret'],
    ]) {
      const r = urseal(dir, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ERROR_LINE);
      expect(r.stderr).toContain('URSEAL_E_USAGE');
      expect(r.stderr + r.stdout).not.toContain('hunter2');
    }
  });
});

describe('reports name each row', () => {
  it('JSON and CSV rows carry serial, agency, type, number and the full input', () => {
    const r = urseal(dir, ['verify', good, 'good.svg', '--json', '--csv', 'named.csv', ...TRUST]);
    expect(r.code, r.stderr).toBe(0);
    const serial = toHex(decodeSeal(good).claims.cti);
    const j = JSON.parse(r.stdout);
    expect(j.results[0]).toMatchObject({ input: good, serial, agency: 'MOJ', documentType: 'poa', number: '1447/2026' });
    expect(j.results[1]).toMatchObject({ input: 'good.svg', serial });
    const rows = readFileSync(join(dir, 'named.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    const header = rows[0]!.split(',');
    const first = rows[1]!.split(',');
    expect(first[header.indexOf('input')]).toBe(good);
    expect(first[header.indexOf('serial')]).toBe(serial);
    expect(first[header.indexOf('agency')]).toBe('MOJ');
    expect(first[header.indexOf('document_type')]).toBe('poa');
    expect(first[header.indexOf('number')]).toBe('1447/2026');
    // The text line still shortens a long seal text.
    expect(urseal(dir, ['verify', good, ...TRUST]).stdout.split('\n')[0]).toMatch(/ UR1:.{20}\.\.\.$/);
  });
});

describe('seal text a clerk cannot misread', () => {
  it('seal refuses NUL, controls, bidi controls, lone surrogates and blank values before the passphrase', () => {
    writeFileSync(join(dir, 'surrogate.json'), '{"a": "x\\ud800"}');
    for (const args of [
      ['--number', 'N-1', '--field', 'a=محمد\u202Eدمحم'],
      ['--number', 'N-1', '--field', 'a=line\nbreak'],
      ['--number', 'N-1', '--field', 'a=\u2067x'],
      ['--number', 'N-1', '--field', 'a=   '],
      ['--number', '\u00a0', '--field', 'a=x'],
      ['--number', 'N-1', '--fields', 'surrogate.json'],
    ]) {
      // No passphrase variable: a refusal that came after asking for it would say URSEAL_E_PASSPHRASE_ENV_UNSET.
      const r = urseal(dir, ['seal', ...KEY, '--type', 'poa', ...args], { MOJ_PASS: '' });
      expect(r.code, JSON.stringify(args)).toBe(2);
      expect(r.stderr, JSON.stringify(args)).toMatch(ERROR_LINE);
      expect(r.stderr).toContain('URSEAL_E_BAD_VALUE');
      expect(r.stdout).toBe('');
    }
  });

  it('an older seal holding such text is shown neutralised in lines, details, JSON and CSV', async () => {
    const text = await legacySeal('77\u202E1447', { n: 'سارة\u0000', a: '\u2066x\u2069' });
    const r = urseal(dir, ['verify', text, '--details', ...TRUST]);
    expect(r.stdout, r.stderr).toContain('77⟨U+202E⟩1447');
    expect(r.stdout).toContain('اسم الموكل | Principal: سارة⟨U+0000⟩');
    expect(r.stdout).toContain('اسم الوكيل | Agent: ⟨U+2066⟩x⟨U+2069⟩');
    expect(r.stdout).not.toMatch(/[\u0000\u202a-\u202e\u2066-\u2069]/);
    const j = urseal(dir, ['verify', text, '--json', '--csv', 'odd.csv', ...TRUST]);
    expect(JSON.parse(j.stdout).results[0].number).toBe('77⟨U+202E⟩1447');
    expect(readFileSync(join(dir, 'odd.csv'), 'utf8')).not.toMatch(/[\u0000\u202a-\u202e\u2066-\u2069]/);
  });

  it('a file name with a bidi control is shown neutralised in the line, in full in JSON', () => {
    const name = 'scan\u202Egnp.txt';
    writeFileSync(join(dir, name), `${good}\n`);
    const r = urseal(dir, ['verify', name, ...TRUST]);
    expect(r.stdout).toContain('scan⟨U+202E⟩gnp.txt');
    expect(JSON.parse(urseal(dir, ['verify', name, '--json', ...TRUST]).stdout).results[0].input).toBe(name);
  });
});

describe('issuance against the published lists', () => {
  it('seal --trust-list refuses a type or a field the list does not publish, with a clear code', () => {
    const base = ['--number', 'T-1', '--trust-list', 'tl.cose', '--root', 'root.key'];
    const type = urseal(dir, ['seal', ...KEY, '--type', 'deed', ...base]);
    expect(type.code).toBe(2);
    expect(type.stderr).toMatch(ERROR_LINE);
    expect(type.stderr).toContain('URSEAL_E_UNKNOWN_DOCUMENT_TYPE');
    const field = urseal(dir, ['seal', ...KEY, '--type', 'poa', '--field', 'x9=secret', ...base]);
    expect(field.code).toBe(2);
    expect(field.stderr).toContain('URSEAL_E_UNKNOWN_FIELD');
    expect(field.stdout).toBe('');
  });

  it('seal --status-list refuses a --status-index past the end of the list; stamp has the same flag', () => {
    ok(dir, ['status-list', 'create', 'sl16.json', '--agency', 'MOJ', '--size', '16']);
    const r = urseal(dir, ['seal', ...KEY, '--type', 'poa', '--number', 'S-16', '--status-index', '16', '--status-list', 'sl16.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toContain('URSEAL_E_STATUS_INDEX');
    seal(['--number', 'S-15', '--status-index', '15', '--status-list', 'sl16.json']);
    const big = urseal(dir, ['seal', ...KEY, '--type', 'poa', '--number', 'S-X', '--status-index', String(1 << 24)]);
    expect(big.stderr).toContain('URSEAL_E_BAD_VALUE');
    const stamp = urseal(dir, ['stamp', '--help']);
    expect(stamp.stdout).toContain('--status-list');
  });
});
