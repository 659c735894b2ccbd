// The page's PDF path: full-file verification through core's verifyPdf (seal, original bytes, closing signature).
import { verifyPdf, type Ed25519Backend, type PdfResult, type VerifySealOptions } from '../../core/verifier.js';

/** Whether bytes are a PDF (the header may follow up to 1024 bytes of junk, ISO 32000-1 §7.5.2 as readers accept). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/**
 * Verify a PDF as received. Outcomes (core/pdf/verify-file.ts): VALID with `file.intact`, FILE_MODIFIED,
 * NO_SEAL, or the seal's own failure code. A scanned paper document (pages that are only images, no
 * embedded seal) gives NO_SEAL: reading a QR out of page images needs a PDF renderer (pdf.js), which the
 * page does not ship yet; the message tells the person to open a picture of the printed code instead.
 */
export function verifyPdfFile(bytes: Uint8Array, backend: Ed25519Backend, opts: VerifySealOptions): Promise<PdfResult> {
  return verifyPdf(bytes, backend, opts);
}

export type { PdfResult };

const latin1 = new TextDecoder('latin1');

/** Most page images a scanned PDF is searched for (a seal is on the first pages). */
const MAX_SCAN_IMAGES = 20;

/**
 * The JPEG images (DCTDecode streams) of a PDF, in file order: what most scanners and scanning apps put on
 * each page. Byte-level, without a PDF library: streams are never inside object streams (ISO 32000-1
 * §7.5.7), so every image's dictionary sits in plain text right before its `stream` keyword. Images with
 * other filters (CCITT fax, JBIG2, Flate pixels) need a renderer and are not found here.
 */
export function pdfJpegImages(bytes: Uint8Array, max = MAX_SCAN_IMAGES): Uint8Array[] {
  const text = latin1.decode(bytes);
  const out: Uint8Array[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && out.length < max) {
    if (text.slice(m.index - 3, m.index) === 'end') continue;
    const dictStart = text.lastIndexOf(' obj', m.index);
    if (dictStart < 0 || m.index - dictStart > 4096) continue;
    const dict = text.slice(dictStart, m.index);
    if (!/\/Subtype\s*\/Image/.test(dict) || !/\/Filter\s*(\[\s*)?\/DCTDecode\s*\]?/.test(dict)) continue;
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    if (bytes[start] === 0xff && bytes[start + 1] === 0xd8) out.push(bytes.subarray(start, end));
    re.lastIndex = end;
  }
  return out;
}
