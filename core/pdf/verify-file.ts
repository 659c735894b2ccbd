// Verifying a stamped PDF file: the seal, the original bytes under it, and the closing signature over the whole file.
import { bytesEqual, fromHex } from '../bytes.js';
import type { Ed25519Backend } from '../crypto/backend.js';
import { UrsealError } from '../errors.js';
import { sha256Async } from '../hash.js';
import { describe, type Message, type ResultCode } from '../results.js';
import { verifySeal, type SealResult, type VerifySealOptions } from '../seal/verify.js';
import { closingMessageAsync, closingRangeStatus, extractPdfSeal, type PdfSeal } from './verify.js';

/** Largest PDF checked (bounded memory): far above any certificate or court paper. */
export const MAX_PDF_BYTES = 512 * 1024 * 1024;

/** What the file check found, for a person. */
export interface FileCheck {
  /** A seal dictionary was found in the file. */
  sealFound: boolean;
  /** The file is byte for byte what the agency issued (original + its stamp, nothing else). */
  intact: boolean;
  message: Message;
  /** Technical detail (English). */
  reason?: string;
}

export interface PdfResult extends SealResult {
  file: FileCheck;
}

const INTACT: Message = {
  ar: 'الملف مطابق تماماً لما أصدرته الجهة: لم يتغير فيه شيء بعد الختم.',
  en: 'File intact: it is byte for byte what the agency issued; nothing was changed after sealing.',
  ckb: 'فایلەکە ساغە: بایت بە بایت هەمان ئەو فایلەیە کە دەزگاکە دەریکردووە؛ دوای مۆرکردن هیچی تێدا نەگۆڕدراوە.',
};
const ORIGINAL_CHANGED: Message = {
  ar: 'صفحات الملف ليست الصفحات التي ختمتها الجهة (غُيّرت، أو نُسخ الختم من وثيقة أخرى). لا تعتمد محتوى الملف.',
  en: 'The pages in this file are not the pages the agency sealed (they were changed, or the seal was copied from another document). Do not rely on the content.',
  ckb: 'لاپەڕەکانی ئەم فایلە ئەو لاپەڕانە نین کە دەزگاکە مۆری کردوون (گۆڕدراون، یان مۆرەکە لە بەڵگەنامەیەکی ترەوە کۆپی کراوە). پشت بە ناوەڕۆکەکەی مەبەستە.',
};
const APPENDED: Message = {
  ar: 'أُضيف إلى الملف أو غُيّر فيه شيء بعد ختمه. لا تعتمد ما يظهر فيه، واطلب النسخة الأصلية.',
  en: 'Something was added to or changed in this file after it was sealed. Do not rely on what it shows; ask for the original.',
  ckb: 'دوای مۆرکردن شتێک بۆ ئەم فایلە زیاد کراوە یان تێیدا گۆڕدراوە. پشت بەوەی پیشانی دەدات مەبەستە و داوای دانە ڕەسەنەکە بکە.',
};
const NOT_CHECKED: Message = {
  ar: 'لم يُتحقق من الملف لأن الختم نفسه غير صالح.',
  en: 'The file was not checked because the seal itself is not valid.',
  ckb: 'فایلەکە نەپشکنرا چونکە خودی مۆرەکە دروست نییە.',
};
const NO_SEAL_FILE: Message = {
  ar: 'لا يحمل الملف ختماً مضمّناً. إن كان صورة ضوئية لوثيقة ورقية فتحقق من رمز QR المطبوع عليها.',
  en: 'The file carries no embedded seal. If it is a scan of a paper document, check the QR code printed on it.',
  ckb: 'فایلەکە هیچ مۆرێکی تێدا نییە. ئەگەر وێنەی سکانکراوی بەڵگەنامەیەکی کاغەزییە، کۆدی QRی چاپکراو لەسەری بپشکنە.',
};

function withCode(r: SealResult, code: ResultCode, file: FileCheck): PdfResult {
  const info = describe(code);
  const out: PdfResult = { ...r, code, valid: code === 'VALID', verdict: info.verdict, message: info.message, file };
  if (file.reason !== undefined) out.reason = file.reason;
  return out;
}

/** A result for a file whose seal could not even be read (no claims, no key). */
function withoutSeal(opts: VerifySealOptions, code: ResultCode, file: FileCheck): PdfResult {
  const l = opts.trust.list;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const info = describe(code);
  const out: PdfResult = {
    code,
    valid: false,
    verdict: info.verdict,
    message: info.message,
    trustList: { sequence: l.sequence, issuedAt: l.issuedAt, expiresAt: l.expiresAt, stale: now > l.expiresAt },
    file,
  };
  if (file.reason !== undefined) out.reason = file.reason;
  return out;
}

function noSeal(opts: VerifySealOptions, reason: string): PdfResult {
  return withoutSeal(opts, 'NO_SEAL', { sealFound: false, intact: false, message: NO_SEAL_FILE, reason });
}

/**
 * Verify a PDF file as received: find the embedded seal, verify it (as verifySeal does), then check that
 * (1) the first `length` bytes hash to the seal's document hash — the pages are the ones issued — and
 * (2) the closing signature, by the same agency key, covers the whole file but its own placeholder —
 * nothing was appended or changed after stamping (the incremental-saving attack).
 * Outcomes: VALID with `file.intact`; FILE_MODIFIED; NO_SEAL; or the seal's own failure code.
 * @example
 * const r = await verifyPdf(bytes, backend, { trust });
 * console.log(r.code, r.file.message.ar)
 */
export async function verifyPdf(file: Uint8Array, backend: Ed25519Backend, opts: VerifySealOptions): Promise<PdfResult> {
  if (file.length > MAX_PDF_BYTES) return noSeal(opts, `file larger than ${MAX_PDF_BYTES} bytes`);
  let found: PdfSeal | null;
  try {
    found = extractPdfSeal(file);
  } catch (e) {
    // A seal dictionary that is there but not in the exact layout the stamper writes was edited.
    if (e instanceof UrsealError)
      return withoutSeal(opts, 'FILE_MODIFIED', { sealFound: true, intact: false, message: APPENDED, reason: e.message });
    throw e;
  }
  if (!found) return noSeal(opts, 'no /URSeal dictionary in the file');

  const r = await verifySeal(found.sealText, backend, opts);
  if (r.verdict === 'invalid') return { ...r, file: { sealFound: true, intact: false, message: NOT_CHECKED } };

  const doc = r.claims!.doc;
  if (doc.hash === undefined || doc.length === undefined) {
    return withCode(r, 'FILE_MODIFIED', {
      sealFound: true,
      intact: false,
      message: ORIGINAL_CHANGED,
      reason: 'the seal is a paper seal, not bound to a file',
    });
  }
  // The original must end before the stamp's dictionary: the stamp is an update appended to it.
  if (doc.length > found.byteRange[1] || !bytesEqual(await sha256Async(file.subarray(0, doc.length)), doc.hash)) {
    return withCode(r, 'FILE_MODIFIED', {
      sealFound: true,
      intact: false,
      message: ORIGINAL_CHANGED,
      reason: 'the original bytes do not match the sealed hash',
    });
  }
  const range = closingRangeStatus(file, found.byteRange);
  if (range !== 'OK') {
    return withCode(r, 'FILE_MODIFIED', { sealFound: true, intact: false, message: APPENDED, reason: `closing signature range: ${range}` });
  }
  // The seal checked out (verdict valid or warning), so verifySeal found its key: no need to decode the seal again.
  const key = opts.trust.findKey(fromHex(r.key!.kid))!.key;
  const message = await closingMessageAsync(file, found.byteRange, sha256Async);
  if (!(await backend.verify(key.publicKey, message, found.signature))) {
    return withCode(r, 'FILE_MODIFIED', {
      sealFound: true,
      intact: false,
      message: APPENDED,
      reason: 'the closing signature does not verify',
    });
  }
  return { ...r, file: { sealFound: true, intact: true, message: INTACT } };
}
