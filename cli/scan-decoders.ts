// pdf.js's JBIG2 and JPEG 2000 decoders for scanned PDFs in the CLI, loaded on the first such image (never for JPEG or Flate scans).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { scanDecodersFrom, type PdfjsImageDecoders, type ScanDecoders } from '../core/pdf/scan-images.js';

let loading: Promise<ScanDecoders> | undefined;

/**
 * The decoders, loaded once per process from the installed pdfjs-dist (its module and wasm/openjpeg.wasm, read
 * from disk: never a network fetch). A failed load is retried by the next call.
 * @example const img = await readableImage(found, loadScanDecoders);
 */
export function loadScanDecoders(): Promise<ScanDecoders> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const mod: PdfjsImageDecoders = await import('pdfjs-dist/image_decoders/pdf.image_decoders.mjs');
    const wasmPath = require.resolve('pdfjs-dist/wasm/openjpeg.wasm');
    return scanDecodersFrom(mod, async () => new Uint8Array(await readFile(wasmPath)));
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
