// PDF inputs of `urseal verify`: the embedded seal and file binding, or, for a scanned paper copy, the QR in the page images.
import { pageImages } from '../core/pdf/images.js';
import { readableImage } from '../core/pdf/scan-images.js';
import { verifyPdf } from '../core/pdf/verify-file.js';
import { verifySealSync } from '../core/seal/verify.js';
import { readQrCodes, readQrCodesFromRgba } from './qr/read.js';
import { resultFromSeal, type ItemResult, type Verifier } from './verify-engine.js';
import { looksLikeSeal } from './verify-items.js';
import { loadScanDecoders } from './scan-decoders.js';

const SCAN_NOTE = {
  ar: 'نسخة ممسوحة ضوئياً لوثيقة ورقية: الختم صحيح، لكن يجب مقارنة النص المطبوع بالحقول الموقّعة المعروضة.',
  en: 'A scanned paper copy: the seal is genuine, but the printed text must be compared with the signed fields shown.',
  ckb: 'کۆپییەکی سکانکراوی بەڵگەنامەیەکی کاغەزی: مۆرەکە ڕاستەقینەیە، بەڵام دەبێت دەقی چاپکراو لەگەڵ خانە واژۆکراوە پیشاندراوەکان بەراورد بکرێت.',
};

/**
 * QR texts found in the page images of a PDF (JPEG as is; Flate, CCITT, JBIG2 and JPEG 2000 images decoded, the
 * last two with pdf.js's decoders loaded only then), seals only, first found first.
 */
export async function sealsInPageImages(bytes: Uint8Array): Promise<string[]> {
  const found: string[] = [];
  for (const coded of pageImages(bytes)) {
    try {
      const img = await readableImage(coded, loadScanDecoders);
      const texts = img.kind === 'jpeg' ? await readQrCodes(img.bytes) : await readQrCodesFromRgba(img.data, img.width, img.height);
      for (const t of texts) if (looksLikeSeal(t) && !found.includes(t)) found.push(t);
    } catch {
      // an image that does not decode (MALFORMED) or the reader cannot read: look at the next one
    }
  }
  return found;
}

/**
 * Verify a PDF as received (core's verifyPdf: seal, original bytes, closing signature). When it carries no
 * embedded seal, look for seals in its page images (a scan of paper): those are verified as seals and marked
 * `scanned`, with the reminder to compare the printed text.
 * @example const rows = await verifyPdfInput(bytes, 'letter.pdf', verifier);
 */
export async function verifyPdfInput(bytes: Uint8Array, label: string, v: Verifier): Promise<ItemResult[]> {
  const opts = { trust: v.trust, statusLists: v.statusLists, now: v.now };
  const r = await verifyPdf(bytes, v.backend, opts);
  if (r.code === 'NO_SEAL') {
    const texts = await sealsInPageImages(bytes);
    if (texts.length > 0) {
      return texts.map((t, i) => {
        const row = resultFromSeal(label, verifySealSync(t, v.backend, opts), texts.length > 1 ? i + 1 : undefined);
        row.scanned = true;
        row.paper = true;
        if (row.verdict !== 'invalid') row.file = { intact: false, message: SCAN_NOTE };
        return row;
      });
    }
  }
  const row = resultFromSeal(label, r);
  row.file = { intact: r.file.intact, message: r.file.message };
  return [row];
}
