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
import type { WorkerReply, WorkerRequest } from './scan-decoders.js';

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

/** Longest one decode may take in the worker before it is stopped (a 300 dpi page takes under 3 s). */
const DECODE_TIMEOUT_MS = 20_000;

/**
 * The decoders in a dedicated worker running scan-decoders.js: pdf.js allocates and loops over what a JBIG2
 * symbol dictionary's coded sizes say, so a hostile image is stopped after DECODE_TIMEOUT_MS (the worker is
 * terminated and started again for the next scan) instead of freezing the page.
 */
class WorkerDecoders implements ScanDecoders {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void; timer: number }>();

  constructor(private readonly where: { url: string; wasmUrl: string }) {}

  private start(): Worker {
    const w = new Worker(this.where.url);
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(e.data.id);
      if ('out' in e.data) p.resolve(e.data.out);
      else p.reject(new Error(e.data.error));
    };
    w.onerror = (e) => this.stop(w, new Error(`scan decoder worker: ${e.message}`));
    w.postMessage({ kind: 'init', wasmUrl: this.where.wasmUrl } satisfies WorkerRequest);
    return w;
  }

  private stop(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    w.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
  }

  private run(req: { kind: 'jbig2'; chunks: Uint8Array[] } | { kind: 'jpx'; bytes: Uint8Array }): Promise<Uint8Array> {
    const w = (this.worker ??= this.start());
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => this.stop(w, new Error('scan decoding took too long')), DECODE_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      w.postMessage({ id, ...req } satisfies WorkerRequest);
    });
  }

  jbig2(chunks: Uint8Array[]): Promise<Uint8Array> {
    return this.run({ kind: 'jbig2', chunks });
  }

  jpx(bytes: Uint8Array): Promise<Uint8Array> {
    return this.run({ kind: 'jpx', bytes });
  }
}

/**
 * pdf.js's JBIG2 and JPEG 2000 decoders (scan-decoders.js and openjpeg.wasm), loaded on the first scan that
 * needs them, so the first visit and JPEG, Flate and CCITT scans never download them. The served page runs them
 * in a worker (WorkerDecoders; the service worker keeps both files for offline use); verify.html, opened from
 * file:// where the page's CSP allows no worker from a Blob, runs its inline copy in the page itself.
 */
function loadDecoders(): Promise<ScanDecoders> {
  loading ??= (async () => {
    if (!source) throw new Error('scan decoders used before configureDecoders()');
    const where = source;
    decoderLoads.count++;
    if ('url' in where) return new WorkerDecoders(where);
    // A classic script defining the global `ursealScanDecoders` (build.ts), run when added (inline scripts pass the CSP).
    const script = document.createElement('script');
    script.textContent = where.code();
    document.head.append(script);
    const mod = (globalThis as { ursealScanDecoders?: { makeScanDecoders: (w: () => Promise<Uint8Array>) => ScanDecoders } })
      .ursealScanDecoders;
    if (!mod) throw new Error('scan decoders did not load');
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
