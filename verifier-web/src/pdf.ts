// The page's PDF path: full-file verification through core's verifyPdf, and the page images of scans.
import {
  isPdf,
  pageImages,
  readableImage,
  verifyPdf,
  type Ed25519Backend,
  type PdfResult,
  type ScanDecoders,
  type VerifySealOptions,
} from '../../core/verifier.js';

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

/** A page image to look for a QR in: JPEG bytes for the browser's decoder, or pixels already decoded. */
export type PageImage = { kind: 'jpeg'; bytes: Uint8Array } | { kind: 'pixels'; image: ImageData };

/** Where the lazily loaded decoders are: next to the page, or inlined in verify.html. */
export type DecoderSource = { url: string; wasmUrl: string } | { code: () => string; wasm: () => Uint8Array };

let source: DecoderSource | undefined;
let loading: Promise<ScanDecoders> | undefined;
/** How many times the decoder chunk was loaded (0 until a JBIG2 or JPEG 2000 scan needs it); read by tests. */
export const decoderLoads = { count: 0 };

/** Say where the decoders are (no fetch yet). */
export function configureDecoders(where: DecoderSource): void {
  source = where;
}

/**
 * pdf.js's JBIG2 and JPEG 2000 decoders (scan-decoders.js and openjpeg.wasm), loaded on the first scan that
 * needs them, so the first visit and JPEG, Flate and CCITT scans never download them. The service worker keeps
 * both for offline use; verify.html carries them inline.
 */
function loadDecoders(): Promise<ScanDecoders> {
  loading ??= (async () => {
    if (!source) throw new Error('scan decoders used before configureDecoders()');
    const where = source;
    decoderLoads.count++;
    // A classic script defining the global `ursealScanDecoders` (build.ts): from the page's folder, or inline text.
    const script = document.createElement('script');
    if ('url' in where) {
      await new Promise<void>((resolve, reject) => {
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('scan-decoders.js did not load'));
        script.src = where.url;
        document.head.append(script);
      });
    } else {
      script.textContent = where.code(); // runs when added (the page's CSP allows inline scripts)
      document.head.append(script);
    }
    const mod = (globalThis as { ursealScanDecoders?: { makeScanDecoders: (w: () => Promise<Uint8Array>) => ScanDecoders } })
      .ursealScanDecoders;
    if (!mod) throw new Error('scan decoders did not load');
    if ('url' in where) {
      return mod.makeScanDecoders(async () => {
        const res = await fetch(where.wasmUrl);
        if (!res.ok) throw new Error(`openjpeg.wasm: HTTP ${res.status}`);
        return new Uint8Array(await res.arrayBuffer());
      });
    }
    return mod.makeScanDecoders(async () => where.wasm());
  })();
  loading.catch(() => (loading = undefined)); // a failed load may be retried by the next scan
  return loading;
}

/**
 * The page images of a PDF (what scanners write), in file order, one at a time, from core's byte-level
 * extractor: JPEG (DCTDecode) as bytes; Flate, CCITT fax, JBIG2 and JPEG 2000 images as pixels (the last two
 * through pdf.js's decoders, loaded only then). An image that does not decode is skipped.
 */
export async function* pdfPageImages(bytes: Uint8Array): AsyncGenerator<PageImage> {
  for (const coded of pageImages(bytes)) {
    let img;
    try {
      img = await readableImage(coded, loadDecoders);
    } catch {
      continue; // MALFORMED image, or decoders that would not load: look at the next one
    }
    if (img.kind === 'jpeg') yield { kind: 'jpeg', bytes: img.bytes };
    else {
      const rgba = new Uint8ClampedArray(img.data.buffer as ArrayBuffer, img.data.byteOffset, img.data.byteLength);
      yield { kind: 'pixels', image: new ImageData(rgba, img.width, img.height) };
    }
  }
}
