// Find and decode every QR code in a PNG/JPEG (or an RGBA page render) with zxing-wasm, offline, one wasm per process.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader';

/**
 * Stable codes of {@link QrReadError}:
 * - `UNREADABLE_IMAGE`: the bytes are not an image the reader can decode (not PNG/JPEG/..., truncated, empty).
 * - `READER_UNAVAILABLE`: the zxing-wasm binary could not be loaded from the installed package.
 * - `INVALID_ARGUMENT`: bad pixel buffer dimensions or options.
 */
export type QrReadErrorCode = 'UNREADABLE_IMAGE' | 'READER_UNAVAILABLE' | 'INVALID_ARGUMENT';

/**
 * The only error {@link readQrCodes} and {@link readQrCodesFromRgba} throw. An image that decodes but
 * holds no QR code is not an error: the result is `[]`.
 *
 * @example
 * try { await readQrCodes(bytes) } catch (e) { if (e instanceof QrReadError) console.log(e.code) } // UNREADABLE_IMAGE
 */
export class QrReadError extends Error {
  readonly code: QrReadErrorCode;
  constructor(code: QrReadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QrReadError';
    this.code = code;
  }
}

/** Options for {@link readQrCodes}. */
export interface ReadQrOptions {
  /**
   * Run the extra passes (other binarizers, denoising) when the first finds nothing. Default `true`.
   * They cost time only on images without a readable code.
   */
  fallbacks?: boolean;
  /** Stop after this many symbols (1-255). Default 16. */
  maxSymbols?: number;
}

/**
 * Reader passes, in order; the next runs only if the previous found nothing, so they cost time only on
 * images without a readable code. Measured with test/bench/qr-read.ts on 225 corpus photos with ground
 * truth and 135 simulated print-and-scan seals: the local average binarizer alone reads 207 + 94; adding
 * fixed threshold and global histogram passes, each with denoising (a morphological closing that mends
 * modules broken by blur and JPEG), reads 214 + 105 for under 1 ms more per image on average. A fourth pass
 * (local average + denoising, or plain global histogram) added nothing, and jsQR read none of the rest.
 */
const PASSES: readonly ReaderOptions[] = [
  { binarizer: 'LocalAverage' },
  { binarizer: 'FixedThreshold', tryDenoise: true },
  { binarizer: 'GlobalHistogram', tryDenoise: true },
];

const BASE_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  returnErrors: false,
  // The decoded text as is: the default ('HRI') rewrites control characters as '<SOH>' and the like.
  textMode: 'Plain',
};

let ready: Promise<void> | undefined;

/**
 * Load the reader wasm from the installed zxing-wasm package, once per process. By default zxing-wasm
 * fetches its .wasm from the jsDelivr CDN, in Node too (checked: its `locateFile` default returns a
 * CDN URL and Node's global fetch is used). Handing it `wasmBinary` makes it instantiate from these
 * bytes and never call fetch.
 */
function ensureReader(): Promise<void> {
  ready ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const path = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
      const file = await readFile(path);
      const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
      await prepareZXingModule({
        overrides: {
          wasmBinary,
          // Never a URL: if the binary were somehow ignored, loading fails instead of going to the network.
          locateFile: (name: string) => name,
        },
        fireImmediately: true,
      });
    } catch (e) {
      ready = undefined;
      const message = 'QR reader: cannot load zxing_reader.wasm from the zxing-wasm package';
      throw new QrReadError('READER_UNAVAILABLE', message, { cause: e });
    }
  })();
  return ready;
}

/**
 * Load the reader now rather than on the first image (e.g. at CLI start-up, to report a broken install early).
 * @example await initQrReader();
 */
export async function initQrReader(): Promise<void> {
  await ensureReader();
}

function maxSymbolsOf(options: ReadQrOptions): number {
  const n = options.maxSymbols ?? 16;
  if (!Number.isInteger(n) || n < 1 || n > 255) {
    throw new QrReadError('INVALID_ARGUMENT', 'maxSymbols: must be an integer from 1 to 255');
  }
  return n;
}

/** Texts of the valid results, in reading order, each text once. */
function textsOf(results: ReadResult[]): string[] {
  const texts: string[] = [];
  for (const r of results) if (r.isValid && r.format === 'QRCode' && !texts.includes(r.text)) texts.push(r.text);
  return texts;
}

async function runPasses(
  input: Uint8Array | ImageData,
  options: ReadQrOptions,
  checkLoaded: (results: ReadResult[]) => void,
): Promise<string[]> {
  await ensureReader();
  const maxNumberOfSymbols = maxSymbolsOf(options);
  const passes = options.fallbacks === false ? PASSES.slice(0, 1) : PASSES;
  for (const pass of passes) {
    let results: ReadResult[];
    try {
      results = await readBarcodes(input, { ...BASE_OPTIONS, ...pass, maxNumberOfSymbols });
    } catch (e) {
      throw new QrReadError('UNREADABLE_IMAGE', 'QR reader: the image could not be processed', { cause: e });
    }
    checkLoaded(results);
    const texts = textsOf(results);
    if (texts.length > 0) return texts;
  }
  return [];
}

/**
 * Every QR code text found in a PNG or JPEG (also GIF, BMP, ...: what stb_image decodes), each text once.
 * Resolves `[]` when the image holds no readable QR code; rejects only with {@link QrReadError}
 * (`UNREADABLE_IMAGE` for bytes that are not a decodable image). The wasm is loaded on the first call
 * and reused, so one process can read many images.
 *
 * @example
 * const texts = await readQrCodes(await readFile('scan.jpg'));
 * const seals = texts.filter((t) => t.startsWith('UR1:'));
 */
export async function readQrCodes(imageBytes: Uint8Array, options: ReadQrOptions = {}): Promise<string[]> {
  if (!(imageBytes instanceof Uint8Array) || imageBytes.length === 0) {
    throw new QrReadError('UNREADABLE_IMAGE', 'QR reader: empty input, not an image');
  }
  return runPasses(imageBytes, options, (results) => {
    // zxing-wasm reports an undecodable file as a single invalid result, not as an exception.
    if (results.length === 1 && !results[0]!.isValid && /load image/i.test(results[0]!.error)) {
      throw new QrReadError('UNREADABLE_IMAGE', `QR reader: not a decodable image (${results[0]!.error})`);
    }
  });
}

/**
 * Every QR code text in an RGBA pixel buffer (4 bytes per pixel, row-major, e.g. a rendered PDF page).
 *
 * @example
 * const texts = await readQrCodesFromRgba(page.data, page.width, page.height);
 */
export async function readQrCodesFromRgba(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: ReadQrOptions = {},
): Promise<string[]> {
  const isPixels = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  const sized = Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1;
  if (!isPixels || !sized || data.length !== width * height * 4) {
    throw new QrReadError('INVALID_ARGUMENT', 'QR reader: RGBA buffer length must be width * height * 4');
  }
  const pixels = data instanceof Uint8ClampedArray ? data : new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  // zxing-wasm only reads the data/width/height fields, so no DOM ImageData constructor is needed in Node.
  const image = { data: pixels, width, height, colorSpace: 'srgb' } as ImageData;
  return runPasses(image, options, () => undefined);
}

/**
 * Convenience for batch verification: read a file from disk.
 * @example const texts = await readQrCodesFromFile('scans/letter-17.png');
 */
export async function readQrCodesFromFile(path: string, options: ReadQrOptions = {}): Promise<string[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new QrReadError('UNREADABLE_IMAGE', `QR reader: cannot read file ${path}`, { cause: e });
  }
  return readQrCodes(bytes, options);
}
