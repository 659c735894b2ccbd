// The page's PDF path: full-file verification through core's verifyPdf (seal, original bytes, closing signature).
import { isPdf, pdfImages, verifyPdf, type Ed25519Backend, type PdfResult, type VerifySealOptions } from '../../core/verifier.js';

export { isPdf };

/**
 * Verify a PDF as received. Outcomes (core/pdf/verify-file.ts): VALID with `file.intact`, FILE_MODIFIED,
 * NO_SEAL, or the seal's own failure code. A scanned paper document (pages that are only images, no
 * embedded seal) gives NO_SEAL here; the page then looks for the QR in its page images (pdfPageImages).
 */
export function verifyPdfFile(bytes: Uint8Array, backend: Ed25519Backend, opts: VerifySealOptions): Promise<PdfResult> {
  return verifyPdf(bytes, backend, opts);
}

export type { PdfResult };

/** A page image to look for a QR in: JPEG bytes for the browser's decoder, or pixels already decoded by core. */
export type PageImage = { kind: 'jpeg'; bytes: Uint8Array } | { kind: 'pixels'; image: ImageData };

/**
 * The page images of a PDF (what scanners write), in file order, from core's byte-level extractor: JPEG
 * (DCTDecode) as bytes; Flate (lossless scans) and CCITT fax images (black-and-white office scans) as
 * pixels. JBIG2 and JPEG 2000 images are not decoded: they are left out.
 */
export function pdfPageImages(bytes: Uint8Array): PageImage[] {
  return pdfImages(bytes).map((img): PageImage => {
    if (img.kind === 'jpeg') return { kind: 'jpeg', bytes: img.bytes };
    const rgba = new Uint8ClampedArray(img.data.buffer as ArrayBuffer, img.data.byteOffset, img.data.byteLength);
    return { kind: 'pixels', image: new ImageData(rgba, img.width, img.height) };
  });
}
