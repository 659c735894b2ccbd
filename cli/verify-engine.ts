// Verifying one work item (seal text, image, PDF, text file) into result rows; shared by the main thread and workers.
import { readFile } from 'node:fs/promises';
import { fromUtf8, toHex } from '../core/bytes.js';
import { selectBackendSync } from '../core/crypto/index.js';
import type { Ed25519Backend } from '../core/crypto/backend.js';
import { describe, type Message, type ResultCode, type Verdict } from '../core/results.js';
import { displayText, displayValue } from '../core/seal/display.js';
import { verifySealSync, type SealResult } from '../core/seal/verify.js';
import type { VerifiedStatusList } from '../core/status-list/verify.js';
import type { VerifiedTrustList } from '../core/trust-list/verify.js';
import { readQrCodes, readQrCodesFromRgba, QrReadError } from './qr/read.js';
import { loadTrust, type VerifySetup } from './sources.js';
import { looksLikeSvg, MAX_SVG_BYTES, rasteriseQrSvg } from './svg.js';
import { looksLikeSeal, type VerifyItem } from './verify-items.js';
import { verifyPdfInput } from './verify-pdf.js';

/** One row of a verification report (a file holding two seals gives two rows). */
export interface ItemResult {
  /** The input as given, in full (path, seal text, or stdin:LINE). */
  input: string;
  /** 1-based index of the seal within the file, when it holds several. */
  seal?: number;
  /** The document serial (cti), hex: with the agency, it names one issued document. */
  serial?: string;
  code: ResultCode;
  verdict: Verdict;
  valid: boolean;
  message: Message;
  reason?: string;
  agency?: string;
  agencyName?: Message;
  documentType?: string;
  documentTypeName?: Message;
  /** The document number as signed, neutralised for display (displayText). */
  number?: string;
  issuedAt?: number;
  expiresAt?: number;
  kid?: string;
  keyStatus?: string;
  /** A paper seal (no file hash): compare the printed text with these fields. */
  paper?: boolean;
  fields?: { id: string; label?: Message; value: string | number }[];
  /** For PDFs: whether the file is byte for byte as issued, and what that means. */
  file?: { intact: boolean; message: Message };
  /** The seal was read from a page image of a scanned PDF. */
  scanned?: boolean;
  /** The status list the revocation check used: revocations known as of its date; stale once past its expiry. */
  revocations?: { asOf: number; sequence: number; stale: boolean };
  /**
   * A seal bound to a PDF (it carries the file's hash and length) read without that file: from a photo or
   * scan of a printout, or as text. It vouches for the signed fields only: compare the printed text with them.
   */
  copy?: boolean;
}

/** What a person must do with a PDF-bound seal read from a picture or text (`copy`). */
export const COPY_NOTE: Message = {
  ar: 'هذا الختم لملف PDF (يحمل بصمته)، لكنه قُرئ من صورة أو نسخة مطبوعة لا من الملف نفسه: الختم صحيح، ويجب مقارنة النص المطبوع بالحقول الموقّعة المعروضة، أو التحقق من ملف PDF الأصلي.',
  en: 'This seal belongs to a PDF file (it carries its fingerprint) but was read from a picture or printout, not from the file: the seal is genuine, but the printed text must be compared with the signed fields shown, or the original PDF file verified.',
  ckb: 'ئەم مۆرە هی فایلێکی PDFە (پەنجەمۆرەکەی هەڵگرتووە)، بەڵام لە وێنە یان کۆپییەکی چاپکراوەوە خوێندرایەوە نەک لە خودی فایلەکە: مۆرەکە ڕاستەقینەیە، بەڵام دەبێت دەقی چاپکراو لەگەڵ خانە واژۆکراوە پیشاندراوەکان بەراورد بکرێت، یان فایلی PDFە ڕەسەنەکە بپشکنرێت.',
};

/** Mark a row whose seal is bound to a PDF but was read without it (see ItemResult.copy). */
export function markCopy(row: ItemResult, r: SealResult): ItemResult {
  if (r.claims && r.claims.doc.hash !== undefined && row.verdict !== 'invalid') {
    row.copy = true;
    row.file = { intact: false, message: COPY_NOTE };
  }
  return row;
}

/** A verified trust list and status lists plus the clock: what every seal is checked against. */
export interface Verifier {
  backend: Ed25519Backend;
  trust: VerifiedTrustList;
  statusLists: Map<string, VerifiedStatusList>;
  now: number;
}

/**
 * Build a verifier from bytes (throws UserError when a list is refused).
 * @example const v = makeVerifier(setup); const rows = await verifyItem(v, item);
 */
export function makeVerifier(setup: VerifySetup): Verifier {
  const t = loadTrust(setup);
  return { backend: selectBackendSync(), trust: t.trust, statusLists: t.statusLists, now: setup.now };
}

/** A row for an outcome with no seal details (unreadable image, no seal, ...). */
export function resultFromCode(input: string, code: ResultCode, reason?: string): ItemResult {
  const info = describe(code);
  return {
    input,
    code,
    verdict: info.verdict,
    valid: code === 'VALID',
    message: info.message,
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** A row from core's SealResult. */
export function resultFromSeal(input: string, r: SealResult, seal?: number): ItemResult {
  const row: ItemResult = { input, code: r.code, verdict: r.verdict, valid: r.valid, message: r.message };
  if (seal !== undefined) row.seal = seal;
  if (r.reason !== undefined) row.reason = r.reason;
  if (r.claims) {
    // Text is shown neutralised: an older seal may hold controls or bidi controls that would make it read as
    // something else (issuance refuses them now). Ids (agency, type) are ASCII by the claims' own rules.
    row.serial = toHex(r.claims.cti);
    row.agency = r.claims.iss;
    row.documentType = r.claims.doc.type;
    row.number = displayText(r.claims.doc.number);
    row.issuedAt = r.claims.iat;
    if (r.claims.exp !== undefined) row.expiresAt = r.claims.exp;
  }
  if (r.agency) row.agencyName = r.agency.name;
  if (r.documentType?.name) row.documentTypeName = r.documentType.name;
  if (r.key) {
    row.kid = r.key.kid;
    row.keyStatus = r.key.status;
  }
  if (r.paper !== undefined) row.paper = r.paper;
  if (r.statusList?.checked && r.statusList.issuedAt !== undefined && r.statusList.sequence !== undefined)
    row.revocations = { asOf: r.statusList.issuedAt, sequence: r.statusList.sequence, stale: r.statusList.stale === true };
  if (r.fields)
    row.fields = r.fields.map((f) => ({
      id: f.id,
      ...(f.label ? { label: f.label } : {}),
      value: typeof f.value === 'number' ? f.value : displayValue(f.value),
    }));
  return row;
}

function verifyTexts(v: Verifier, input: string, texts: string[]): ItemResult[] {
  const opts = { trust: v.trust, statusLists: v.statusLists, now: v.now };
  return texts.map((t, i) => {
    const r = verifySealSync(t, v.backend, opts);
    return markCopy(resultFromSeal(input, r, texts.length > 1 ? i + 1 : undefined), r);
  });
}

type Sniffed = 'image' | 'pdf' | 'text' | 'svg' | 'unknown';

/** Lenient decoding for sniffing only: the first 512 bytes may end inside a character, or not be text at all. */
const sniffDecoder = new TextDecoder('utf-8', { fatal: false });

/** The reason of every row for a file that is none of the kinds verify reads. */
export const NOT_A_SEAL_FILE = 'not a seal text, image or PDF';

function sniff(bytes: Uint8Array): Sniffed {
  const b = bytes;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image'; // PNG
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image'; // JPEG
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image'; // GIF
  if (b[0] === 0x42 && b[1] === 0x4d) return 'image'; // BMP
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'pdf'; // %PDF
  const head = sniffDecoder.decode(b.subarray(0, 512)).trimStart();
  if (looksLikeSeal(head.split(/\s/)[0] ?? '') || head.startsWith('UR1:') || /^https?:\/\/\S*#UR1B:/.test(head)) return 'text';
  if (looksLikeSvg(head)) return 'svg';
  return 'unknown';
}

async function verifyImage(v: Verifier, input: string, bytes: Uint8Array): Promise<ItemResult[]> {
  let texts: string[];
  try {
    texts = await readQrCodes(bytes);
  } catch (e) {
    if (e instanceof QrReadError && e.code === 'UNREADABLE_IMAGE') return [resultFromCode(input, 'MALFORMED', 'not a readable image')];
    throw e;
  }
  const seals = texts.filter(looksLikeSeal);
  if (seals.length === 0)
    return [
      resultFromCode(
        input,
        'NO_SEAL',
        texts.length ? 'a QR code was found, but it is not an urseal seal' : 'no readable QR code in the image',
      ),
    ];
  return verifyTexts(v, input, seals);
}

/** An SVG QR drawing (as `urseal seal --qr x.svg` writes): rasterised, then read like an image. */
async function verifySvg(v: Verifier, input: string, bytes: Uint8Array): Promise<ItemResult[]> {
  const notOurs = () => [resultFromCode(input, 'NO_SEAL', 'an SVG that is not a QR drawing of squares (as urseal draws them)')];
  if (bytes.length > MAX_SVG_BYTES) return notOurs();
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    return [resultFromCode(input, 'NO_SEAL', `${NOT_A_SEAL_FILE} (an .svg that is not UTF-8 text)`)];
  }
  const raster = looksLikeSvg(text) ? rasteriseQrSvg(text) : undefined;
  if (!raster) return notOurs();
  const texts = await readQrCodesFromRgba(raster.data, raster.width, raster.height);
  const seals = texts.filter(looksLikeSeal);
  if (seals.length === 0)
    return [resultFromCode(input, 'NO_SEAL', texts.length ? 'a QR code was found, but it is not an urseal seal' : 'no readable QR code')];
  return verifyTexts(v, input, seals);
}

/**
 * Verify one item; never throws for bad content (only for a broken installation, e.g. a missing QR reader).
 * @example for (const item of items) rows.push(...(await verifyItem(v, item)));
 */
export async function verifyItem(v: Verifier, item: VerifyItem): Promise<ItemResult[]> {
  if (item.kind === 'text') return verifyTexts(v, item.label, [item.text]);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(item.path));
  } catch (e) {
    return [resultFromCode(item.label, 'MALFORMED', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`)];
  }
  const type = item.type === 'unknown' ? sniff(bytes) : item.type;
  switch (type) {
    case 'image':
      return verifyImage(v, item.label, bytes);
    case 'pdf':
      return verifyPdfInput(bytes, item.label, v);
    case 'svg':
      return verifySvg(v, item.label, bytes);
    case 'text': {
      let content: string;
      try {
        content = fromUtf8(bytes);
      } catch {
        // A binary file or another encoding named like a seal text: one row, never an abort of the batch.
        return [resultFromCode(item.label, 'NO_SEAL', `${NOT_A_SEAL_FILE} (not UTF-8 text)`)];
      }
      const lines = content
        .split(/\r?\n/)
        // Only tabs and carriage returns are trimmed at the end: a space may be the last Base45 character.
        .map((l) => l.replace(/^[ \t]+/, '').replace(/[\t\r]+$/, ''))
        .filter((l) => l !== '' && !l.startsWith('#'));
      if (lines.length === 0) return [resultFromCode(item.label, 'NO_SEAL', 'the text file holds no seal')];
      return verifyTexts(v, item.label, lines);
    }
    default:
      return [resultFromCode(item.label, 'NO_SEAL', NOT_A_SEAL_FILE)];
  }
}
