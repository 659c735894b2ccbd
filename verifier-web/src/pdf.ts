// The page's PDF path: full-file verification through core's verifyPdf (seal, original bytes, closing signature).
import { isPdf, pdfImages, verifyPdf, type Ed25519Backend, type PdfResult, type VerifySealOptions } from '../../core/verifier.js';

export { isPdf };

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

/**
 * The JPEG page images of a PDF (what most scanners write), in file order, from core's byte-level
 * extractor. Flate page images come back as pixels there; the page reads only JPEGs for now.
 */
export function pdfJpegImages(bytes: Uint8Array): Uint8Array[] {
  return pdfImages(bytes).flatMap((img) => (img.kind === 'jpeg' ? [img.bytes] : []));
}
