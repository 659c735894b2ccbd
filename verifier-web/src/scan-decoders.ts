// Entry of scan-decoders.js, the page's lazily loaded chunk: pdf.js's JBIG2 and JPEG 2000 decoders for scanned PDFs.
import * as pdfjs from 'pdfjs-dist/image_decoders/pdf.image_decoders.mjs';
import { scanDecodersFrom, type ScanDecoders } from '../../core/pdf/scan-images.js';

/** The decoders, with the OpenJPEG wasm from `wasm` (the page's own copy: never a CDN). */
export function makeScanDecoders(wasm: () => Promise<Uint8Array>): ScanDecoders {
  return scanDecodersFrom(pdfjs, wasm);
}
