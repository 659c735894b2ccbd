// Verification reports: one line per result, a bilingual summary (Arabic or Kurdish, then English), JSON and CSV.
import { displayText } from '../core/seal/display.js';
import { currentLang, lead, pair, type Texts } from '../keys/lang.js';
import { formatTime } from '../keys/time.js';
import type { ItemResult } from './verify-engine.js';

/** ✓ valid, ✗ invalid, ! needs a person's attention (e.g. a stale trust list). */
export function markOf(r: ItemResult): string {
  return r.verdict === 'valid' ? '✓' : r.verdict === 'warning' ? '!' : '✗';
}

/**
 * One result line: mark, code, agency, document type and number, then the input.
 * @example formatLine(row) // '✓ VALID                MOJ    poa        1447/2026     scans/a.png'
 */
export function formatLine(r: ItemResult): string {
  const input = r.seal !== undefined ? `${shortInput(r.input)} [${r.seal}]` : shortInput(r.input);
  const note = [fileNote(r), revocationNote(r)].filter((n) => n !== undefined).join('; ');
  return (
    [
      markOf(r),
      r.code.padEnd(20),
      (r.agency ?? '-').padEnd(6),
      (r.documentType ?? '-').padEnd(10),
      (r.number ?? '-').padEnd(13),
      input,
    ].join(' ') + (note ? `  (${note})` : '')
  );
}

/**
 * The input as a line shows it: a seal text shortened (JSON and CSV carry it in full), and a file name with any
 * control or bidi control character made visible, like every text a line shows.
 */
function shortInput(input: string): string {
  const short = /^UR1:|#UR1B:/.test(input) && input.length > 28 ? `${input.slice(0, 24)}...` : input;
  return displayText(short);
}

/** The short notes of a result line. Arabic keeps its historical order (English first) on these notes. */
const NOTES = {
  scan: {
    en: 'scan: compare printed text',
    ar: 'مسح ضوئي: قارن النص المطبوع',
    ckb: 'سکان: دەقی چاپکراو بەراورد بکە',
  },
  copy: {
    en: 'copy of a sealed PDF: compare printed text',
    ar: 'نسخة من ملف مختوم: قارن النص المطبوع',
    ckb: 'کۆپیی فایلێکی مۆرکراو: دەقی چاپکراو بەراورد بکە',
  },
  intact: { en: 'file intact', ar: 'الملف سليم', ckb: 'فایلەکە ساغە' },
} satisfies Record<string, Required<Texts>>;

/** A line note: `<en> | <ar>` by default (as before), `<ckb> | <en>` in Kurdish, `<en>` in English. */
function noteText(t: Texts): string {
  return currentLang() === 'ar' ? `${t.en} | ${t.ar}` : pair(t);
}

/** What the file check says, in a few words: 'file intact', or for a scanned PDF, compare by eye. */
export function fileNote(r: ItemResult): string | undefined {
  if (r.scanned) return r.verdict === 'invalid' ? 'scan' : noteText(NOTES.scan);
  if (r.copy) return noteText(NOTES.copy);
  if (r.file?.intact) return noteText(NOTES.intact);
  return undefined;
}

/** An out-of-date status list, said on the line itself: a revocation after its date would not show. */
export function revocationNote(r: ItemResult): string | undefined {
  if (!r.revocations?.stale || r.verdict === 'invalid') return undefined;
  const day = formatTime(r.revocations.asOf).slice(0, 10);
  return noteText({
    en: `revocations as of ${day}, out of date`,
    ar: `الإلغاءات حتى ${day}، قائمة قديمة`,
    ckb: `هەڵوەشاندنەوەکان تا ${day}، لیستەکە کۆنە`,
  });
}

/** The paper-seal advice of --details. */
const PAPER: Required<Texts> = {
  ar: 'ختم ورقي: قارن النص المطبوع على الوثيقة بالحقول الموقّعة أدناه',
  ckb: 'مۆری کاغەزی: دەقی چاپکراوی سەر بەڵگەنامەکە لەگەڵ ئەم خانە واژۆکراوانەی خوارەوە بەراورد بکە',
  en: 'paper seal: compare the printed document with the signed fields below',
};

/**
 * Extra lines for --details: the message in the reader's language (Arabic by default, Kurdish with --lang ckb)
 * and in English, and the signed fields with their labels (a label's Kurdish where the trust list has one).
 */
export function formatDetails(r: ItemResult): string[] {
  const lang = currentLang();
  const message = (m: Texts) => (lang === 'en' ? [`    ${m.en}`] : [`    ${lead(m, lang)}`, `    ${m.en}`]);
  const lines = message(r.message);
  if (r.reason) lines.push(`    (${r.reason})`);
  // Names and labels come from the trust list: shown through displayText too, like the signed values.
  const both = (m: Texts) => (lang === 'en' ? displayText(m.en) : `${displayText(lead(m, lang))} | ${displayText(m.en)}`);
  if (r.agencyName) lines.push(`    ${both(r.agencyName)}${r.documentTypeName ? ` — ${both(r.documentTypeName)}` : ''}`);
  if (r.issuedAt !== undefined) lines.push(`    issued ${formatTime(r.issuedAt)}${r.kid ? ` key ${r.kid} (${r.keyStatus})` : ''}`);
  if (r.file) lines.push(...message(r.file.message));
  if (r.paper && !r.scanned && r.verdict !== 'invalid') lines.push(`    ${pair(PAPER, lang)}`);
  for (const f of r.fields ?? []) lines.push(`    ${f.label ? both(f.label) : f.id}: ${f.value}`);
  return lines;
}

export interface Summary {
  total: number;
  valid: number;
  invalid: number;
  warning: number;
}

/**
 * Count results by verdict.
 * @example summarize(rows) // { total: 3, valid: 2, invalid: 1, warning: 0 }
 */
export function summarize(rows: readonly ItemResult[]): Summary {
  const s: Summary = { total: rows.length, valid: 0, invalid: 0, warning: 0 };
  for (const r of rows) s[r.verdict === 'valid' ? 'valid' : r.verdict === 'warning' ? 'warning' : 'invalid']++;
  return s;
}

/**
 * The summary line, in the reader's language (Arabic by default) then English.
 * @example formatSummary({ total: 3, valid: 2, invalid: 1, warning: 0 })
 */
export function formatSummary(s: Summary): string {
  return pair({
    ar: `المجموع ${s.total}: صالح ${s.valid}، غير صالح ${s.invalid}، يحتاج انتباهاً ${s.warning}`,
    ckb: `کۆی گشتی ${s.total}: دروست ${s.valid}، نادروست ${s.invalid}، پێویستی بە سەرنجە ${s.warning}`,
    en: `total ${s.total}: ${s.valid} valid, ${s.invalid} invalid, ${s.warning} warning`,
  });
}

/** The --json report object. */
export function jsonReport(rows: readonly ItemResult[], meta: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'urseal-verify-report',
    version: 1,
    ...meta,
    summary: summarize(rows),
    results: rows.map((r) => ({
      ...r,
      ...(r.issuedAt !== undefined ? { issuedAt: formatTime(r.issuedAt) } : {}),
      ...(r.expiresAt !== undefined ? { expiresAt: formatTime(r.expiresAt) } : {}),
      ...(r.revocations ? { revocations: { ...r.revocations, asOf: formatTime(r.revocations.asOf) } } : {}),
    })),
  };
}

function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  // Cells starting with = + - @ are formulas in spreadsheets: prefix a quote so data stays data (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'input',
  'seal',
  'verdict',
  'code',
  'serial',
  'agency',
  'document_type',
  'number',
  'issued_at',
  'kid',
  'key_status',
  'message_ar',
  'message_en',
  'reason',
  'file',
  'message_ckb',
] as const;

/**
 * The CSV report (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheet programs show Arabic correctly).
 * @example writeFileAtomic('report.csv', csvReport(rows), { overwrite: true })
 */
export function csvReport(rows: readonly ItemResult[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.input,
        r.seal,
        r.verdict,
        r.code,
        r.serial,
        r.agency,
        r.documentType,
        r.number,
        r.issuedAt !== undefined ? formatTime(r.issuedAt) : undefined,
        r.kid,
        r.keyStatus,
        r.message.ar,
        r.message.en,
        r.reason,
        r.scanned ? 'scan' : r.copy ? 'copy' : r.file ? (r.file.intact ? 'intact' : 'modified') : undefined,
        r.message.ckb,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
