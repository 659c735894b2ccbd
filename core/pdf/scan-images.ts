// Decoding the JBIG2 and JPEG 2000 page images of scans with pdf.js's image decoders, bounded before they run.
import { UrsealError } from '../errors.js';
import { PDF_IMAGE_LIMITS, type PdfImage } from './images.js';

/** A page image ready for a QR reader: JPEG bytes, or RGBA pixels. */
export type ReadableImage = Extract<PdfImage, { kind: 'jpeg' | 'rgba' }>;

/**
 * The part of pdf.js's image decoders module (pdfjs-dist/image_decoders/pdf.image_decoders.mjs, Apache-2.0)
 * used here; typed structurally so core does not depend on the package.
 */
export interface PdfjsImageDecoders {
  /** 0 = errors only: pdf.js otherwise prints warnings about damaged streams to the console. */
  setVerbosityLevel?(level: number): void;
  Jbig2Image: new () => { parseChunks(chunks: { data: Uint8Array; start: number; end: number }[]): Uint8Array | Uint8ClampedArray };
  JpxImage: {
    setOptions(o: {
      handler?: { sendWithPromise(name: string, args: unknown): Promise<Uint8Array> };
      useWasm: boolean;
      useWorkerFetch: boolean;
      wasmUrl: string | null;
    }): void;
    decode(bytes: Uint8Array, o: { numComponents: number }): Promise<Uint8Array | Uint8ClampedArray>;
  };
}

/**
 * What decodes the coded kinds (pdf.js's decoders, possibly in a worker the caller can stop): JBIG2 segments to
 * packed rows (1 = black), a JPEG 2000 stream to RGBA (or grey/RGB samples).
 */
export interface ScanDecoders {
  jbig2(chunks: Uint8Array[]): Promise<Uint8Array>;
  jpx(bytes: Uint8Array): Promise<Uint8Array>;
}

/**
 * Adapt pdf.js's image decoders. The OpenJPEG wasm is handed over as bytes through the decoder's message
 * handler hook (`useWorkerFetch: false`), so pdf.js never fetches a URL: the same code works in Node and
 * offline in the page. `wasmUrl` is a name that resolves nowhere, so its JavaScript fallback is never loaded.
 * @example const dec = scanDecodersFrom(await import('pdfjs-dist/image_decoders/pdf.image_decoders.mjs'), loadWasm);
 */
export function scanDecodersFrom(mod: PdfjsImageDecoders, openjpegWasm: () => Promise<Uint8Array>): ScanDecoders {
  // pdf.js 5 uses Promise.withResolvers (Node 22, Chrome 119); Node 20 and older browsers lack it.
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve: unknown, reject: unknown;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
  mod.setVerbosityLevel?.(0);
  mod.JpxImage.setOptions({
    useWasm: true,
    useWorkerFetch: false,
    wasmUrl: 'urseal-no-fetch:',
    handler: { sendWithPromise: () => openjpegWasm() },
  });
  return {
    jbig2: async (chunks) => {
      const out = new mod.Jbig2Image().parseChunks(chunks.map((data) => ({ data, start: 0, end: data.length })));
      return out instanceof Uint8Array ? out : new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
    jpx: async (bytes) => {
      const out = await mod.JpxImage.decode(bytes, { numComponents: 0 });
      return out instanceof Uint8Array ? out : new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
  };
}

const u32 = (d: Uint8Array, i: number): number => ((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0;

/** Region segments (T.88 §7.4.1): their data opens with the region's width and height. */
const REGION_TYPES = new Set([4, 6, 7, 20, 22, 23, 36, 38, 39, 40, 42, 43]);
const MAX_SEGMENTS = 10_000;

/**
 * Walk the segment headers of JBIG2 embedded streams (ITU-T T.88 §7.2) before pdf.js decodes them, and
 * return the page size. Refused (MALFORMED): truncated headers, too many segments, a page or region larger
 * than PDF_IMAGE_LIMITS.maxPixels or regions past twice the page together, a page of unknown height (striping),
 * more than 65,536 symbols or pattern gray levels. The sizes of the symbols themselves are arithmetic- or
 * Huffman-coded inside the dictionaries: callers bound those by running the decoder where it can be stopped. pdf.js allocates what these fields say, so a hostile stream is stopped here, not there.
 */
export function jbig2PageSize(chunks: Uint8Array[]): { width: number; height: number } {
  const bad = (why: string): UrsealError => new UrsealError('MALFORMED', `jbig2: ${why}`);
  let page: { width: number; height: number } | undefined;
  let count = 0;
  let regionPixels = 0;
  let symbols = 0;
  for (const d of chunks) {
    let i = 0;
    while (i < d.length) {
      if (++count > MAX_SEGMENTS) throw bad('too many segments');
      if (i + 6 > d.length) throw bad('truncated segment header');
      const number = u32(d, i);
      const flags = d[i + 4]!;
      const type = flags & 63;
      i += 5;
      let referred = d[i]! >> 5;
      if (referred === 7) {
        if (i + 4 > d.length) throw bad('truncated segment header');
        referred = u32(d, i) & 0x1fffffff;
        if (referred > 1024) throw bad('too many referred-to segments');
        i += 4 + Math.ceil((referred + 1) / 8);
      } else i += 1;
      i += referred * (number <= 256 ? 1 : number <= 65536 ? 2 : 4);
      i += flags & 64 ? 4 : 1;
      if (i + 4 > d.length) throw bad('truncated segment header');
      const length = u32(d, i);
      i += 4;
      if (length === 0xffffffff) {
        // Unknown length (an immediate generic region, §7.2.7): pdf.js finds its end; nothing follows it here.
        if (type !== 38 && type !== 39) throw bad('unknown segment length');
        if (!page) throw bad('region before the page information');
        if (i + 8 > d.length || u32(d, i) * u32(d, i + 4) > PDF_IMAGE_LIMITS.maxPixels) throw bad('region too large');
        break;
      }
      if (i + length > d.length) throw bad('segment data past the end');
      if (type === 48) {
        if (length < 19) throw bad('short page information');
        const width = u32(d, i);
        const height = u32(d, i + 4);
        if (height === 0xffffffff) throw bad('page of unknown height (striped) is not read');
        if (width < 1 || height < 1 || width * height > PDF_IMAGE_LIMITS.maxPixels) throw bad('page too large');
        if (page) throw bad('more than one page');
        page = { width, height };
      } else if (REGION_TYPES.has(type)) {
        if (length < 17) throw bad('short region segment');
        const pixels = u32(d, i) * u32(d, i + 4);
        if (pixels > PDF_IMAGE_LIMITS.maxPixels) throw bad('region too large');
        // All regions together at most twice the page: each is decoded pixel by pixel, so many full-page regions
        // would take minutes (pdf.js: about 0.1 s per million pixels).
        if (!page) throw bad('region before the page information');
        regionPixels += pixels;
        if (regionPixels > 2 * page.width * page.height) throw bad('regions too large together');
      } else if (type === 0) {
        // Symbol dictionary (§7.4.2.1): flags, AT pixels by template, then SDNUMEXSYMS and SDNUMNEWSYMS.
        const sdFlags = (d[i]! << 8) | d[i + 1]!;
        const huffman = sdFlags & 1;
        const refine = sdFlags & 2;
        const template = (sdFlags >> 10) & 3;
        const at = (huffman ? 0 : template === 0 ? 8 : 2) + (refine && !((sdFlags >> 12) & 1) ? 4 : 0);
        if (length < 2 + at + 8) throw bad('short symbol dictionary');
        symbols += u32(d, i + 2 + at + 4);
        if (u32(d, i + 2 + at) > 65536 || symbols > 65536) throw bad('too many symbols');
      } else if (type === 16) {
        if (length < 7 || u32(d, i + 3) > 65535) throw bad('pattern dictionary too large');
      }
      i += length;
    }
  }
  if (!page) throw bad('no page information segment');
  return page;
}

/**
 * The image size of a JPEG 2000 stream (a JP2 file or a bare codestream) from its SIZ marker segment (ITU-T T.800
 * §A.5.1: Xsiz, Ysiz, XOsiz, YOsiz after Lsiz and Rsiz), read before any decoder runs.
 */
export function jpxSize(bytes: Uint8Array): { width: number; height: number } {
  // SIZ comes right after SOC (FF4F FF51, §A.4.1): searching for both skips a chance FF51 in the JP2 boxes.
  for (let i = 0; i + 24 <= bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0x4f && bytes[i + 2] === 0xff && bytes[i + 3] === 0x51) {
      const at = i + 2;
      return { width: u32(bytes, at + 6) - u32(bytes, at + 14), height: u32(bytes, at + 10) - u32(bytes, at + 18) };
    }
  }
  throw new UrsealError('MALFORMED', 'jpx: no image size (SIZ) in the stream');
}

/** The JBIG2 file header's ID string (T.88 §D.4.1): some writers embed a whole file, not just its segments. */
const JBIG2_FILE_ID = [0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * An embedded stream's segments: a whole JBIG2 file in sequential organisation (flags bit 0 set) has its header
 * (ID, flags, page count unless flags bit 1) removed; the random-access organisation is left as is (and refused by
 * the header walk).
 */
function withoutFileHeader(d: Uint8Array): Uint8Array {
  if (d.length < 9 || JBIG2_FILE_ID.some((b, i) => d[i] !== b) || !(d[8]! & 1)) return d;
  return d.subarray(9 + (d[8]! & 2 ? 0 : 4));
}

/**
 * A page image ready for a QR reader: JPEG and RGBA as they are; JBIG2 and JPEG 2000 decoded with the
 * decoders `load` gives (called only for those kinds, so a JPEG or Flate scan never loads pdf.js). Throws
 * UrsealError MALFORMED for an image that does not decode within PDF_IMAGE_LIMITS.
 * @example const img = await readableImage(found, () => loadScanDecoders());
 */
export async function readableImage(img: PdfImage, load: () => Promise<ScanDecoders>): Promise<ReadableImage> {
  if (img.kind === 'jpeg' || img.kind === 'rgba') return img;
  const fail = (why: string, cause?: unknown): UrsealError => new UrsealError('MALFORMED', `${img.kind}: ${why}`, { cause });
  if (img.kind === 'jbig2') {
    const chunks = img.globals ? [img.globals, withoutFileHeader(img.data)] : [withoutFileHeader(img.data)];
    const { width, height } = jbig2PageSize(chunks);
    const dec = await load();
    let bits: Uint8Array;
    try {
      bits = await dec.jbig2(chunks);
    } catch (e) {
      throw fail('the image does not decode', e);
    }
    const rowBytes = (width + 7) >> 3;
    if (bits.length < rowBytes * height) throw fail('decoded image too short');
    // JBIG2 codes black as 1 (T.88 §6.2.5.1); /Decode [1 0] flips it.
    const rgba = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const black = ((bits[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1) ^ (img.invert ? 1 : 0);
        const o = (y * width + x) * 4;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = black ? 0 : 255;
        rgba[o + 3] = 255;
      }
    }
    return { kind: 'rgba', width, height, data: rgba };
  }
  const { width, height } = jpxSize(img.bytes);
  if (!(width >= 1 && height >= 1 && width * height <= PDF_IMAGE_LIMITS.maxPixels)) throw fail('image too large');
  const dec = await load();
  let px: Uint8Array;
  try {
    px = await dec.jpx(img.bytes);
  } catch (e) {
    throw fail('the image does not decode', e);
  }
  const n = width * height;
  // numComponents 0 asks OpenJPEG for RGBA; grey and RGB outputs are taken too.
  const comps = px.length === n * 4 ? 4 : px.length === n * 3 ? 3 : px.length === n ? 1 : 0;
  if (comps === 0) throw fail('decoded size does not match the image');
  if (comps === 4) return { kind: 'rgba', width, height, data: px };
  const rgba = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    rgba[4 * p] = px[comps * p]!;
    rgba[4 * p + 1] = px[comps * p + (comps === 3 ? 1 : 0)]!;
    rgba[4 * p + 2] = px[comps * p + (comps === 3 ? 2 : 0)]!;
    rgba[4 * p + 3] = 255;
  }
  return { kind: 'rgba', width, height, data: rgba };
}
