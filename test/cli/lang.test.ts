// Kurdish Sorani (ckb) as the reader's language: URSEAL_LANG=ckb or --lang ckb puts Kurdish first on error lines,
// the verify summary and --details; Arabic stays the default; English stays on every line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESULT_CODES } from '../../core/results.js';
import { ERROR_LINE, ok, urseal, workdir } from './helpers.js';

let dir: string;
let good: string;
let revoked: string;
const TRUST = ['--trust-list', 'tl.cose', '--root', 'root.key', '--now', '2026-01-20', '--status-list', 'sl.cose'];
const CKB = { URSEAL_LANG: 'ckb' };
const ARABIC_ONLY = /[\u0629\u0623\u0625]/; // ة أ إ: Arabic spelling Sorani does not use

function seal(number: string, index: string): string {
  const args = ['seal', '--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--type', 'poa', '--field', 'n=Sara'];
  return ok(dir, [...args, '--issued-at', '2026-01-10', '--number', number, '--status-index', index]).stdout.trim();
}

beforeAll(async () => {
  dir = workdir();
  ok(dir, ['root', 'init', '--out', 'root.key', '--passphrase-env', 'ROOT_PASS']);
  ok(dir, ['agency', 'keygen', '--agency', 'MOJ', '--out', 'moj-1.key', '--passphrase-env', 'MOJ_PASS']);
  ok(dir, ['trust-list', 'create', 'draft.json', '--root', 'root.key', '--valid-days', '60']);
  ok(dir, [
    ...['trust-list', 'add-agency', 'draft.json', '--id', 'MOJ', '--name-ar', 'وزارة العدل', '--name-en', 'Ministry of Justice'],
    ...['--name-ckb', 'وەزارەتی داد', '--type', 'poa:وكالة عامة:General power of attorney', '--field', 'poa.n:اسم الموكل:Principal'],
  ]);
  ok(dir, ['trust-list', 'add-key', 'draft.json', '--agency', 'MOJ', '--public-key', 'moj-1.key', '--not-before', '2026-01-01']);
  ok(dir, [
    ...['trust-list', 'sign', 'draft.json', '--root-key', 'root.key', '--passphrase-env', 'ROOT_PASS'],
    ...['--out', 'tl.cose', '--now', '2026-01-02'],
  ]);
  good = seal('1447/2026', '1');
  revoked = seal('1449/2026', '7');
  ok(dir, ['status-list', 'create', 'sl.json', '--agency', 'MOJ', '--size', '64']);
  ok(dir, ['status-list', 'revoke', 'sl.json', '--index', '7']);
  ok(dir, [
    ...['status-list', 'sign', 'sl.json', '--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS'],
    ...['--out', 'sl.cose', '--now', '2026-01-15'],
  ]);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([595, 842]).drawText('Deed 1450/2026', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  writeFileSync(join(dir, 'deed.pdf'), await doc.save({ useObjectStreams: false }));
  ok(dir, [
    ...['stamp', 'deed.pdf', '--out', 'deed-sealed.pdf', '--key', 'moj-1.key', '--passphrase-env', 'MOJ_PASS', '--type', 'poa'],
    ...['--number', '1450/2026', '--status-index', '2', '--field', 'n=Sara', '--issued-at', '2026-01-10'],
  ]);
});

describe('error lines', () => {
  it('are Kurdish first with URSEAL_LANG=ckb', () => {
    const r = urseal(dir, ['verify', 'nope.png', ...TRUST], CKB);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toBe(
      'urseal: URSEAL_E_FILE_NOT_FOUND: ئەم فایل یان بوخچەیە نییە (دەقی مۆریش نییە): nope.png | no such file or folder (and not a seal text): nope.png\n',
    );
  });

  it('stay Arabic first by default', () => {
    const r = urseal(dir, ['verify', 'nope.png', ...TRUST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'urseal: URSEAL_E_FILE_NOT_FOUND: الملف أو المجلد غير موجود (ولا هو نص ختم): nope.png | no such file or folder (and not a seal text): nope.png\n',
    );
  });

  it('are English only with --lang en, and --lang wins over URSEAL_LANG', () => {
    const r = urseal(dir, ['--lang', 'en', 'verify', 'nope.png', ...TRUST], CKB);
    expect(r.stderr).toBe('urseal: URSEAL_E_FILE_NOT_FOUND: no such file or folder (and not a seal text): nope.png\n');
  });

  it('in keys/ too (a missing key file), and for commander usage errors with --lang before the command', () => {
    const key = urseal(dir, ['seal', '--key', 'nope.key', '--type', 'poa', '--number', '1', '--passphrase-env', 'MOJ_PASS'], CKB);
    expect(key.stderr).toBe('urseal: URSEAL_E_FILE_NOT_FOUND: فایلەکە نەدۆزرایەوە: nope.key | file not found: nope.key\n');
    const usage = urseal(dir, ['--lang', 'ckb', 'verify', '--no-such-flag']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /^urseal: URSEAL_E_USAGE: فەرمانەکە بە هەڵە بەکارهێنراوە \(بڕوانە --help\) \| unknown option '--no-such-flag'/,
    );
  });

  it('an unknown language is a usage error, whether from URSEAL_LANG or --lang', () => {
    for (const [args, env] of [
      [['verify', good, ...TRUST], { URSEAL_LANG: 'fr' }],
      [['--lang', 'fr', 'verify', good, ...TRUST], {}],
      [['verify', good, '--lang', 'fr', ...TRUST], {}],
    ] as const) {
      const r = urseal(dir, [...args], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ERROR_LINE);
      expect(r.stderr).toMatch(/^urseal: URSEAL_E_USAGE: .* \| unknown language, use one of ar, ckb, en: (URSEAL_LANG|--lang) "fr"\n$/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('verify reports', () => {
  it('with URSEAL_LANG=ckb: Kurdish summary, Kurdish verdicts in --details, Kurdish notes; English beside them', () => {
    const r = urseal(dir, ['verify', good, revoked, '--details', ...TRUST], CKB);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('کۆی گشتی 2: دروست 1، نادروست 1، پێویستی بە سەرنجە 0 | total 2: 1 valid, 1 invalid, 0 warning');
    for (const code of ['VALID', 'DOCUMENT_REVOKED'] as const) {
      const m = RESULT_CODES[code].message;
      expect(lines).toContain(`    ${m.ckb}`);
      expect(lines).toContain(`    ${m.en}`);
      expect(r.stdout).not.toContain(m.ar);
    }
    // the Kurdish agency name from the trust list; a label with no Kurdish falls back to Arabic
    expect(lines).toContain('    وەزارەتی داد | Ministry of Justice — وكالة عامة | General power of attorney');
    expect(r.stderr).toMatch(/^لیستی کلیلەکان ژمارە 1 \| trust list #1, /m);
  });

  it('by default: Arabic summary and verdicts, nothing in Kurdish', () => {
    const r = urseal(dir, ['verify', good, revoked, '--details', ...TRUST]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('المجموع 2: صالح 1، غير صالح 1، يحتاج انتباهاً 0 | total 2: 1 valid, 1 invalid, 0 warning');
    expect(lines).toContain(`    ${RESULT_CODES.VALID.message.ar}`);
    expect(lines).toContain('    وزارة العدل | Ministry of Justice — وكالة عامة | General power of attorney');
    expect(r.stdout).not.toContain(RESULT_CODES.VALID.message.ckb);
    expect(r.stderr).toMatch(/^قائمة المفاتيح رقم 1 \| trust list #1, /m);
  });

  it('with --lang en after the command: English only', () => {
    const r = urseal(dir, ['verify', good, '--details', '--lang', 'en', ...TRUST], CKB);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('total 1: 1 valid, 0 invalid, 0 warning');
    expect(lines).toContain(`    ${RESULT_CODES.VALID.message.en}`);
    expect(lines).toContain('    Ministry of Justice — General power of attorney');
    expect(r.stdout).not.toMatch(ARABIC_ONLY);
    expect(r.stdout).not.toContain(RESULT_CODES.VALID.message.ckb);
  });

  it('a sealed PDF: the line note and the file check in Kurdish, English beside them', () => {
    const r = urseal(dir, ['verify', 'deed-sealed.pdf', '--details', ...TRUST], CKB);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ VALID +MOJ +poa +1450\/2026 +deed-sealed\.pdf +\(فایلەکە ساغە \| file intact\)$/);
    expect(lines).toContain('    فایلەکە ساغە: بایت بە بایت هەمان ئەو فایلەیە کە دەزگاکە دەریکردووە؛ دوای مۆرکردن هیچی تێدا نەگۆڕدراوە.');
    expect(lines).toContain('    File intact: it is byte for byte what the agency issued; nothing was changed after sealing.');
    expect(r.stdout).not.toContain('الملف مطابق تماماً');
    const byDefault = urseal(dir, ['verify', 'deed-sealed.pdf', ...TRUST]);
    expect(byDefault.stdout.split('\n')[0]).toMatch(/\(file intact \| الملف سليم\)$/);
  });

  it('JSON and CSV carry the Kurdish message whatever the language', () => {
    const json = JSON.parse(urseal(dir, ['verify', good, revoked, '--json', ...TRUST]).stdout);
    expect(json.results.map((x: { message: { ckb: string } }) => x.message.ckb)).toEqual([
      RESULT_CODES.VALID.message.ckb,
      RESULT_CODES.DOCUMENT_REVOKED.message.ckb,
    ]);
    expect(json.results[0].agencyName).toEqual({ ar: 'وزارة العدل', en: 'Ministry of Justice', ckb: 'وەزارەتی داد' });
    urseal(dir, ['verify', good, '--csv', 'r.csv', ...TRUST]);
    const rows = readFileSync(join(dir, 'r.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toMatch(/,file,message_ckb$/);
    expect(rows[1]!.endsWith(`,${RESULT_CODES.VALID.message.ckb}`)).toBe(true);
  });
});
