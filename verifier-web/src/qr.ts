// Reading QR codes in the page with zxing-wasm, from the wasm shipped with the page (never a CDN).
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

/** Where the reader's wasm comes from: a URL next to the page, or bytes inlined in it (verify.html). */
export type WasmSource = { url: string } | { bytes: () => Uint8Array };

let source: WasmSource | undefined;
let prepared: Promise<unknown> | undefined;

/** Say where the wasm is (no fetch yet). Must come before any read; reads wait for the wasm themselves. */
export function configureReader(where: WasmSource): void {
  source = where;
}

/**
 * Point zxing-wasm at our own copy of its wasm and compile it (once). Without the override the library
 * fetches the wasm from a public CDN: the page would not work offline and would leak a request per visit,
 * so reading refuses to start before {@link configureReader}.
 */
export function warmReader(): Promise<unknown> {
  if (prepared) return prepared;
  if (!source) return Promise.reject(new Error('QR reader used before configureReader()'));
  if ('url' in source) {
    const url = source.url;
    prepared = prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? url : prefix + path) },
      fireImmediately: true,
    });
  } else {
    const bytes = source.bytes();
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    prepared = prepareZXingModule({
      overrides: { wasmBinary, locateFile: (path: string, prefix: string) => prefix + path },
      fireImmediately: true,
    });
  }
  prepared.catch(() => (prepared = undefined)); // a failed load may be retried by the next read
  return prepared;
}

/** For camera frames: one quick pass (the next frame is another chance). */
const FRAME_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: false,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/**
 * For still images: passes tried in order until one reads (measured on photos and simulated scans in
 * test/bench/qr-read.ts, as cli/qr/read.ts does): local average, then fixed threshold and global
 * histogram with denoising.
 */
const IMAGE_PASSES: readonly ReaderOptions[] = [
  { binarizer: 'LocalAverage' },
  { binarizer: 'FixedThreshold', tryDenoise: true },
  { binarizer: 'GlobalHistogram', tryDenoise: true },
];
const IMAGE_BASE: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 4,
};

/** Texts of the QR codes in one camera frame (usually zero or one). */
export async function readFrame(image: ImageData): Promise<string[]> {
  await warmReader();
  const results = await readBarcodes(image, FRAME_OPTIONS);
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** Texts of the QR codes in a still image, trying harder passes only when the first finds nothing. */
export async function readImage(image: ImageData): Promise<string[]> {
  await warmReader();
  for (const pass of IMAGE_PASSES) {
    const results = await readBarcodes(image, { ...IMAGE_BASE, ...pass });
    const texts = results.filter((r) => r.isValid).map((r) => r.text);
    if (texts.length > 0) return texts;
  }
  return [];
}

/** Largest side an image is decoded at first; a seal fills a good part of any sensible photo. */
const FIRST_SIDE = 2000;

/**
 * Decode an image file to pixels with the browser's own decoders (JPEG, PNG, WebP, ...), or take pixels
 * already decoded (a PDF's Flate page image), scaled to `maxSide`.
 */
async function pixels(file: Blob | ImageData, maxSide: number): Promise<ImageData> {
  const probe = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(probe.width, probe.height));
  const w = Math.max(1, Math.round(probe.width * scale));
  const h = Math.max(1, Math.round(probe.height * scale));
  const canvas: OffscreenCanvas | HTMLCanvasElement =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(w, h)
      : Object.assign(document.createElement('canvas'), { width: w, height: h });
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(probe, 0, 0, w, h);
  probe.close();
  return ctx.getImageData(0, 0, w, h);
}

/** QR texts in an image file (or decoded pixels): first at a bounded size (fast), then at full size if that found nothing. */
export async function readImageFile(file: Blob | ImageData): Promise<string[]> {
  const first = await pixels(file, FIRST_SIDE);
  const texts = await readImage(first);
  if (texts.length > 0) return texts;
  const probe = await createImageBitmap(file);
  const full = Math.max(probe.width, probe.height);
  probe.close();
  return full > FIRST_SIDE ? readImage(await pixels(file, full)) : [];
}
