// `urseal verify`: line format in input order, summary, --json, --csv, exit codes 0/1/2, folders, status lists, QR images.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { signSealSync } from '../../core/index.js';
import { readKeyFileHeader, unlockKeyFile } from '../../keys/key-file.js';
import { ENV, ERROR_LINE, MOJ_POA, ok, setupSignedTrustList, signStatusList, urseal, workdir } from './helpers.js';

/** A white 8-bit greyscale PNG (PNG spec §11.2.2 IHDR, §11.2.4 IDAT). */
function blankPng(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  const raw = Buffer.alloc((w + 1) * h, 255);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let dir: string;
let good: string;
let other: string;
let revoked: string;
const NOW = '2026-01-20';
const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', NOW];

function seal(args: string[]): string {
  return ok(dir, ['seal', ...MOJ_POA, ...args]).stdout.trim();
}

beforeAll(() => {
  dir = workdir();
  setupSignedTrustList(dir);
  good = seal(['--number', '1447/2026', '--status-index', '1', '--qr', 'good.png']);
  other = seal(['--number', '1448/2026', '--qr', 'other.svg']);
  revoked = seal(['--number', '1449/2026', '--status-index', '7']);
  ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '64']);
  ok(dir, ['status-list', 'revoke', 'sl.json', '--index', '7', '--reason', 'issued in error']);
  signStatusList(dir, '2026-01-15');
});

describe('urseal verify', () => {
  it('prints one line per input in order, then a bilingual summary; exit 0 when all are valid', () => {
    const r = urseal(dir, ['verify', good, 'good.png', other, '--status-list', 'sl.cose', ...TRUST]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +UR1:/);
    expect(lines[1]).toMatch(/^✓ VALID +MOJ +poa +1447\/2026 +good\.png$/);
    expect(lines[2]).toMatch(/^✓ VALID +MOJ +poa +1448\/2026 /);
    expect(lines[3]).toMatch(/^المجموع 3: .* \| total 3: 3 valid, 0 invalid, 0 warning$/);
  });

  it('a seal that can be revoked, checked without its agency’s status list, is ! STATUS_UNKNOWN, never VALID', () => {
    const r = urseal(dir, ['verify', good, other, ...TRUST]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^! STATUS_UNKNOWN +MOJ +poa +1447\/2026 /);
    expect(lines[1]).toMatch(/^✓ VALID +MOJ +poa +1448\/2026 /); // no status index: nothing to check
    const details = urseal(dir, ['verify', good, '--details', ...TRUST]);
    expect(details.stdout).toMatch(/revocation was not checked/);
  });

  it('a status list past its expiry is said on the line: revocations as of its date, out of date', () => {
    const r = urseal(dir, [
      'verify',
      good,
      '--status-list',
      'sl.cose',
      '--trust-list',
      'tl.cose',
      '--root',
      'root.key',
      '--now',
      '2026-01-29',
    ]);
    expect(r.stdout, r.stderr).toMatch(/^✓ VALID .*revocations as of 2026-01-15, out of date \| الإلغاءات حتى 2026-01-15/);
    const j = JSON.parse(
      urseal(dir, [
        'verify',
        good,
        '--json',
        '--status-list',
        'sl.cose',
        '--trust-list',
        'tl.cose',
        '--root',
        'root.key',
        '--now',
        '2026-01-29',
      ]).stdout,
    );
    expect(j.results[0].revocations).toMatchObject({ asOf: '2026-01-15T00:00:00Z', stale: true });
  });

  it('exit 1 when any input is not valid; ✗ for invalid; a tampered seal is caught', () => {
    const tampered = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
    const r = urseal(dir, ['verify', good, tampered, revoked, '--status-list', 'sl.cose', ...TRUST]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ VALID /);
    expect(lines[1]).toMatch(/^✗ (BAD_SIGNATURE|MALFORMED) /);
    expect(lines[2]).toMatch(/^✗ DOCUMENT_REVOKED +MOJ +poa +1449\/2026 /);
    expect(lines[3]).toContain('total 3: 1 valid, 2 invalid, 0 warning');
  });

  it('! marks a warning (stale trust list) and exits 1', () => {
    const r = urseal(dir, ['verify', other, '--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-06-01']);
    expect(r.code).toBe(1);
    expect(r.stdout, r.stderr).toMatch(/^! TRUST_LIST_STALE +MOJ/);
  });

  it('--json prints a parseable report on stdout', () => {
    const r = urseal(dir, ['verify', good, revoked, '--status-list', 'sl.cose', '--json', ...TRUST]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toEqual({ total: 2, valid: 1, invalid: 1, warning: 0 });
    expect(j.trustList.sequence).toBe(1);
    expect(j.results.map((x: { code: string }) => x.code)).toEqual(['VALID', 'DOCUMENT_REVOKED']);
    expect(j.results[0]).toMatchObject({
      agency: 'MOJ',
      documentType: 'poa',
      number: '1447/2026',
      issuedAt: '2026-01-10T00:00:00Z',
      valid: true,
    });
    expect(j.results[0].fields[0]).toEqual({ id: 'n', label: { ar: 'اسم الموكل', en: 'Principal' }, value: 'سارة' });
  });

  it('--csv writes a report with a header and one row per result', () => {
    const r = urseal(dir, ['verify', good, revoked, '--status-list', 'sl.cose', '--csv', 'report.csv', ...TRUST]);
    expect(r.code).toBe(1);
    const csv = readFileSync(join(dir, 'report.csv'), 'utf8');
    const rows = csv
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      'input,seal,verdict,code,serial,agency,document_type,number,issued_at,kid,key_status,message_ar,message_en,reason,file,message_ckb',
    );
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/,valid,VALID,[0-9a-f]{24},MOJ,poa,1447\/2026,2026-01-10T00:00:00Z,/);
    expect(rows[2]).toMatch(/,invalid,DOCUMENT_REVOKED,[0-9a-f]{24},MOJ,poa,1449\/2026,/);
  });

  it('walks folders recursively in sorted order: images, text files; other files are skipped', () => {
    const scans = join(dir, 'scans');
    mkdirSync(join(scans, 'sub'), { recursive: true });
    copyFileSync(join(dir, 'good.png'), join(scans, 'b.png'));
    copyFileSync(join(dir, 'good.png'), join(scans, 'sub', 'a.png'));
    writeFileSync(join(scans, 'a.txt'), `${good}\n${other}\n`);
    writeFileSync(join(scans, 'notes.doc'), 'not a seal');
    writeFileSync(join(scans, 'blank.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const r = urseal(dir, ['verify', 'scans', ...TRUST]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.replace(/^.* /, ''))).toEqual([
      '[1]',
      '[2]',
      'scans/b.png',
      'scans/blank.png',
      'scans/sub/a.png',
    ]);
    expect(lines[0]).toContain('scans/a.txt [1]');
    expect(lines[3]).toMatch(/^✗ MALFORMED /);
    expect(r.code).toBe(1);
  });

  it('reads the QR written by seal --qr (PNG); the SVG is a crisp vector', () => {
    const r = urseal(dir, ['verify', 'good.png', '--details', '--status-list', 'sl.cose', ...TRUST]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('اسم الموكل | Principal: سارة');
    const svg = readFileSync(join(dir, 'other.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*shape-rendering="crispEdges"/);
  });

  it('an image without a QR code gives NO_SEAL; a text file without a seal, MALFORMED', () => {
    writeFileSync(join(dir, 'white.png'), blankPng(64, 64));
    writeFileSync(join(dir, 'note.txt'), 'hello\n');
    const r = urseal(dir, ['verify', 'white.png', 'note.txt', ...TRUST]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0], r.stderr).toMatch(/^✗ NO_SEAL +- +- +- +white\.png$/);
    expect(lines[1], r.stderr).toMatch(/^✗ MALFORMED +- +- +- +note\.txt$/);
  });

  it('PDF inputs go through the PDF hook (a clear result, not a crash)', () => {
    writeFileSync(join(dir, 'doc.pdf'), '%PDF-1.7\n%%EOF\n');
    const r = urseal(dir, ['verify', 'doc.pdf', ...TRUST]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ [A-Z_]+ /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('large batches use worker threads and keep input order (same output as one thread)', () => {
    const lines = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? revoked : i % 3 === 1 ? good : other));
    const many = join(dir, 'many');
    mkdirSync(many, { recursive: true });
    for (let f = 0; f < 30; f++) writeFileSync(join(many, `${String(f).padStart(2, '0')}.txt`), lines.slice(f % 5).join('\n'));
    for (let f = 0; f < 30; f++) copyFileSync(join(dir, 'good.png'), join(many, `img-${String(f).padStart(2, '0')}.png`));
    const one = urseal(dir, ['verify', 'many', '--status-list', 'sl.cose', '--jobs', '1', ...TRUST]);
    const two = urseal(dir, ['verify', 'many', '--status-list', 'sl.cose', '--jobs', '2', ...TRUST]);
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);
  });

  it('exit 2 with one line for usage errors', () => {
    for (const args of [
      ['verify', good, '--root', 'root.key'],
      ['verify', good, '--trust-list', 'tl.cose'],
      ['verify', 'missing.png', ...TRUST],
      ['verify', good, '--trust-list', 'nope.cose', '--root', 'root.key'],
      ['verify', good, '--jobs', 'many', ...TRUST],
      ['verify', good, '--now', 'yesterday-ish', '--trust-list', 'tl.cose', '--root', 'root.key'],
      ['verify', ...TRUST],
      ['verify', good, '--csv', 'no/such/dir/report.csv', ...TRUST],
    ]) {
      const r = urseal(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(ERROR_LINE);
      expect(r.stdout).toBe('');
    }
  });
});

describe('times a seal may carry', () => {
  it('verify --json and the text line survive an expiry beyond the JavaScript calendar', () => {
    const path = join(dir, 'moj-1.key');
    const unlocked = unlockKeyFile(readKeyFileHeader(path), ENV.MOJ_PASS, path);
    const text = signSealSync(
      {
        iss: 'MOJ',
        iat: 1_768_003_200, // 2026-01-10
        exp: Number.MAX_SAFE_INTEGER,
        cti: new Uint8Array([1, 2, 3, 4]),
        doc: { type: 'poa', number: 'FAR-1', fields: { n: 'سارة' } },
      },
      { backend: unlocked.backend, key: unlocked.key },
    );
    const json = urseal(dir, ['verify', text, '--json', ...TRUST]);
    expect(json.stderr).not.toMatch(/Error|at /);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { results: { expiresAt?: string }[] };
    expect(report.results[0]!.expiresAt).toContain(String(Number.MAX_SAFE_INTEGER));
    const line = urseal(dir, ['verify', text, ...TRUST]);
    expect(line.stderr).not.toMatch(/Error|at /);
    expect(line.code).toBe(0);
    expect(line.stdout).toContain('FAR-1');
  });
});
