// Where a page-sized picture (a scan, a letterhead) has ink: decode it into a coarse map and give the inked cells as rectangles.
import { PDFArray, PDFBool, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, type PDFObject } from '@cantoo/pdf-lib';
import { decodeCcitt } from '../../core/pdf/ccitt.js';
import { inflate } from '../../core/zlib/inflate.js';
import { rectInUser, type Matrix, type Rect } from './layout.js';
import type { Decrypt, DecryptFor, Resolve } from './occupied.js';

/** A page-sized image met while reading a page, to analyse once the content is read. */
export interface ImageJob {
  stream: PDFStream;
  decrypt: Decrypt | undefined;
  resolve: Resolve;
  decryptFor: DecryptFor;
  /** The image's unit square is drawn through this matrix (user space). */
  ctm: Matrix;
  clip: Rect | null;
  /** For stencil masks: painted in white, so nothing shows. */
  fillWhite: boolean;
}

/** Bounds: pixels decoded (a 600 dpi A4 page in colour fits), cells of the map per side. */
const MAX_PIXELS = 40_000_000;
const TARGET_CELLS = 256;
/** A sample darker than this (0-255, the darkest colour channel) is ink; lighter is paper, noise or a faint tint. */
const INK_BELOW = 200;

/** One decoded image: per pixel, the darkest channel (0 black .. 255 white). */
interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The part of pdf.js's image decoders used here (pdfjs-dist ships no types for this entry point). */
interface Decoders {
  JpegImage: new () => {
    numComponents: number;
    parse(data: Uint8Array): void;
    getData(o: { width: number; height: number; forceRGB?: boolean; isSourcePDF?: boolean }): Uint8Array | Uint8ClampedArray;
  };
  Jbig2Image: new () => { parseChunks(chunks: { data: Uint8Array; start: number; end: number }[]): Uint8Array };
  setVerbosityLevel(level: number): void;
}
const DECODERS = 'pdfjs-dist/image_decoders/pdf.image_decoders.mjs';
let decoders: Promise<Decoders> | undefined;
/** pdf.js's image decoders (JPEG, JBIG2), loaded on first use: only scans need them. */
function pdfjsDecoders(): Promise<Decoders> {
  decoders ??= (import(DECODERS) as Promise<Decoders>).then((d) => {
    d.setVerbosityLevel(0); // errors only: damaged scans are expected here, and are not the user's concern
    return d;
  });
  return decoders;
}

function num(job: ImageJob, o: PDFObject | undefined, d: number): number {
  const v = job.resolve(o);
  return v instanceof PDFNumber ? v.asNumber() : d;
}

/** Undo PNG predictors (ISO 32000-1 §7.4.4.4): one filter-type byte per row, `bpp` bytes per pixel. */
function unpredict(data: Uint8Array, rowBytes: number, bpp: number, rows: number): Uint8Array {
  const out = new Uint8Array(rowBytes * rows);
  for (let y = 0; y < rows; y++) {
    const src = y * (rowBytes + 1);
    if (src + rowBytes >= data.length + 1) break;
    const type = data[src]!;
    const dst = y * rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const raw = data[src + 1 + x] ?? 0;
      const a = x >= bpp ? out[dst + x - bpp]! : 0;
      const b = y > 0 ? out[dst - rowBytes + x]! : 0;
      const c = x >= bpp && y > 0 ? out[dst - rowBytes + x - bpp]! : 0;
      let v = raw;
      if (type === 1) v = raw + a;
      else if (type === 2) v = raw + b;
      else if (type === 3) v = raw + ((a + b) >> 1);
      else if (type === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      out[dst + x] = v & 255;
    }
  }
  return out;
}

/** How samples map to "darkest channel": per colour space, with the /Decode inversion of one-channel images. */
interface Space {
  /** Components per pixel in the samples. */
  n: number;
  /** Darkest channel (0-255) of one pixel, from its components scaled to 0-255. */
  dark: (c: Uint8Array | number[], at: number) => number;
  /** Samples are palette indexes (not scaled to 0-255). */
  indexed?: boolean;
}

function colorSpace(job: ImageJob, csObj: PDFObject | undefined, depth = 0): Space | undefined {
  const cs = job.resolve(csObj);
  const head = cs instanceof PDFArray ? job.resolve(cs.get(0)) : cs;
  const name = head instanceof PDFName ? head.decodeText() : '';
  const gray: Space = { n: 1, dark: (c, i) => c[i]! };
  const rgb: Space = { n: 3, dark: (c, i) => Math.min(c[i]!, c[i + 1]!, c[i + 2]!) };
  const cmyk: Space = {
    n: 4,
    dark: (c, i) => {
      const k = 255 - c[i + 3]!;
      return Math.round((Math.min(255 - c[i]!, 255 - c[i + 1]!, 255 - c[i + 2]!) * k) / 255);
    },
  };
  if (['DeviceGray', 'CalGray', 'G'].includes(name)) return gray;
  if (['DeviceRGB', 'CalRGB', 'RGB', 'Lab'].includes(name)) return rgb;
  if (['DeviceCMYK', 'CMYK'].includes(name)) return cmyk;
  if (name === 'ICCBased' && cs instanceof PDFArray) {
    const s = job.resolve(cs.get(1));
    const n = s instanceof PDFStream ? num(job, s.dict.get(PDFName.of('N')), 0) : 0;
    return n === 1 ? gray : n === 3 ? rgb : n === 4 ? cmyk : undefined;
  }
  if ((name === 'Separation' || name === 'DeviceN') && cs instanceof PDFArray) {
    const names = job.resolve(cs.get(1));
    const n = name === 'DeviceN' && names instanceof PDFArray ? names.size() : 1;
    // A tint of 0 leaves the paper white; any colorant darkens it.
    return {
      n,
      dark: (c, i) => {
        let m = 0;
        for (let k = 0; k < n; k++) m = Math.max(m, c[i + k]!);
        return 255 - m;
      },
    };
  }
  if ((name === 'Indexed' || name === 'I') && cs instanceof PDFArray && depth === 0) {
    const base = colorSpace(job, cs.get(1), 1);
    const hival = Math.min(255, num(job, cs.get(2), 0));
    const lookupObj = cs.get(3);
    const lookup = job.resolve(lookupObj);
    let table: Uint8Array | undefined;
    if (lookup instanceof PDFStream) {
      const d =
        lookupObj instanceof PDFRef && job.decryptFor ? job.decryptFor(lookupObj.objectNumber, lookupObj.generationNumber) : undefined;
      table = decodeFilters(job, lookup, d, 256 * 4 + 64);
    } else if (lookup && 'asBytes' in lookup && typeof lookup.asBytes === 'function' && !job.decryptFor) {
      // In an encrypted file this string is encrypted under its object's key: not read, so the image counts whole.
      table = (lookup as { asBytes(): Uint8Array }).asBytes();
    }
    if (!base || !table) return undefined;
    const palette = new Uint8Array(256).fill(0);
    for (let k = 0; k <= hival; k++) if ((k + 1) * base.n <= table.length) palette[k] = base.dark(table, k * base.n);
    return { n: 1, dark: (c, i) => palette[c[i]!]!, indexed: true };
  }
  return undefined;
}

/** Filter names and parameters of a stream, as lists. */
function filters(job: ImageJob, s: PDFStream): { names: string[]; parms: (PDFDict | undefined)[] } {
  const f = job.resolve(s.dict.get(PDFName.of('Filter')));
  const p = job.resolve(s.dict.get(PDFName.of('DecodeParms')) ?? s.dict.get(PDFName.of('DP')));
  const list = f instanceof PDFArray ? f.asArray().map((x) => job.resolve(x)) : f ? [f] : [];
  const plist = p instanceof PDFArray ? p.asArray().map((x) => job.resolve(x)) : [p];
  return {
    names: list.map((x) => (x instanceof PDFName ? x.decodeText() : '?')),
    parms: list.map((_, i) => (plist[i] instanceof PDFDict ? (plist[i] as PDFDict) : undefined)),
  };
}

/** Bytes of a stream through Flate (with PNG predictors) only, bounded; undefined for other filters. */
function decodeFilters(job: ImageJob, s: PDFStream, decrypt: Decrypt | undefined, max: number): Uint8Array | undefined {
  if (!(s instanceof PDFRawStream)) return s.getContents();
  const raw = decrypt ? decrypt(s.getContents()) : s.getContents();
  const { names, parms } = filters(job, s);
  if (names.length === 0) return raw;
  if (names.length !== 1 || (names[0] !== 'FlateDecode' && names[0] !== 'Fl')) return undefined;
  const data = inflate(raw, max + 65_536);
  const parm = parms[0];
  const predictor = parm ? num(job, parm.get(PDFName.of('Predictor')), 1) : 1;
  if (predictor < 10) return data;
  const colors = num(job, parm!.get(PDFName.of('Colors')), 1);
  const bpc = num(job, parm!.get(PDFName.of('BitsPerComponent')), 8);
  const columns = num(job, parm!.get(PDFName.of('Columns')), 1);
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  return unpredict(data, rowBytes, Math.max(1, Math.ceil((colors * bpc) / 8)), Math.floor(data.length / (rowBytes + 1)));
}

/** Decode the image into its darkest-channel map, or undefined when its encoding is not one we read. */
async function decodeImage(job: ImageJob): Promise<Gray | undefined> {
  const d = job.stream.dict;
  const width = num(job, d.get(PDFName.of('Width')) ?? d.get(PDFName.of('W')), 0);
  const height = num(job, d.get(PDFName.of('Height')) ?? d.get(PDFName.of('H')), 0);
  if (!(width >= 1 && height >= 1 && width * height <= MAX_PIXELS && Number.isInteger(width) && Number.isInteger(height))) return undefined;
  const maskObj = job.resolve(d.get(PDFName.of('ImageMask')));
  const isMask = maskObj instanceof PDFBool && maskObj.asBoolean();
  const decodeArr = job.resolve(d.get(PDFName.of('Decode')));
  const inverted = decodeArr instanceof PDFArray && num(job, decodeArr.get(0), 0) > num(job, decodeArr.get(1), 1);
  const { names, parms } = filters(job, job.stream);
  const last = names[names.length - 1] ?? '';
  const raw = job.stream instanceof PDFRawStream ? job.stream.getContents() : undefined;
  if (!raw) return undefined;
  let data0 = job.decrypt ? job.decrypt(raw) : raw;
  // Flate in front of an image codec (some writers compress JPEG data again): undo it first.
  if (names.length === 2 && (names[0] === 'FlateDecode' || names[0] === 'Fl') && !parms[0]) {
    data0 = inflate(data0, Math.max(raw.length * 4, 1 << 20) + (width * height * 4 + 65_536));
    names.shift();
    parms.shift();
  }

  // One-bit samples (fax, JBIG2, masks, packed rows): a pixel shows ink where its sample decodes to black
  // (Decode [0 1]: sample 0; [1 0]: sample 1), and a stencil mask paints where the same holds (§8.9.6.2).
  const fromBits = (bits: Uint8Array): Gray => {
    const rowBytes = (width + 7) >> 3;
    const out = new Uint8Array(width * height);
    const inkBit = inverted ? 1 : 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = (bits[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit === inkBit ? 0 : 255;
      }
    }
    return { width, height, data: out };
  };

  if (last === 'CCITTFaxDecode' || last === 'CCF') {
    if (names.length !== 1) return undefined;
    const p = parms[0];
    const k = p ? num(job, p.get(PDFName.of('K')), 0) : 0;
    const columns = p ? num(job, p.get(PDFName.of('Columns')), 1728) : 1728;
    const blackIs1 = p ? job.resolve(p.get(PDFName.of('BlackIs1'))) : undefined;
    const align = p ? job.resolve(p.get(PDFName.of('EncodedByteAlign'))) : undefined;
    if (columns !== width) return undefined;
    const black = decodeCcitt(data0, columns, height, k, align instanceof PDFBool && align.asBoolean());
    // decodeCcitt: 1 = a black run. The sample is 1 for black runs only with /BlackIs1 true (§7.4.6).
    const samples = blackIs1 instanceof PDFBool && blackIs1.asBoolean() ? black : black.map((b) => 255 - b);
    return fromBits(samples);
  }
  if (last === 'JBIG2Decode') {
    if (names.length !== 1) return undefined;
    const { Jbig2Image } = await pdfjsDecoders();
    const chunks: { data: Uint8Array; start: number; end: number }[] = [];
    const globalsObj = parms[0]?.get(PDFName.of('JBIG2Globals'));
    const globals = job.resolve(globalsObj);
    if (globals instanceof PDFRawStream) {
      const gd =
        globalsObj instanceof PDFRef && job.decryptFor ? job.decryptFor(globalsObj.objectNumber, globalsObj.generationNumber) : undefined;
      const g = decodeFilters(job, globals, gd, 4 << 20);
      if (g) chunks.push({ data: g, start: 0, end: g.length });
    }
    chunks.push({ data: data0, start: 0, end: data0.length });
    const black = new Jbig2Image().parseChunks(chunks); // 1 = black
    return fromBits(black.map((b) => 255 - b));
  }
  if (last === 'DCTDecode' || last === 'DCT') {
    if (names.length !== 1 || isMask) return undefined;
    const { JpegImage } = await pdfjsDecoders();
    const jpeg = new JpegImage();
    jpeg.parse(data0);
    const comps = jpeg.numComponents;
    // Large scans are read at half size (pdf.js samples the decoded blocks): turning 8 Mpx of colour into
    // pixels costs more than decoding them, and ink a reader can see is more than one 300 dpi pixel wide.
    const half = width * height > 4_000_000;
    const w = half ? Math.ceil(width / 2) : width;
    const h = half ? Math.ceil(height / 2) : height;
    const pixels = jpeg.getData({ width: w, height: h, forceRGB: comps === 4, isSourcePDF: true });
    const n = comps === 4 ? 3 : comps;
    if (pixels.length < w * h * n) return undefined;
    const out = new Uint8Array(w * h);
    if (n === 3) {
      for (let i = 0, j = 0; i < out.length; i++, j += 3) {
        const r = pixels[j]!;
        const g = pixels[j + 1]!;
        const b = pixels[j + 2]!;
        out[i] = r < g ? (r < b ? r : b) : g < b ? g : b;
      }
    } else if (n === 1) {
      if (inverted) for (let i = 0; i < out.length; i++) out[i] = 255 - pixels[i]!;
      else out.set(pixels.subarray(0, out.length));
    } else return undefined;
    return { width: w, height: h, data: out };
  }
  // Unfiltered or Flate: samples of bpc bits in a colour space.
  const bpc = isMask ? 1 : num(job, d.get(PDFName.of('BitsPerComponent')) ?? d.get(PDFName.of('BPC')), 8);
  const space = isMask ? { n: 1, dark: () => 0 } : colorSpace(job, d.get(PDFName.of('ColorSpace')) ?? d.get(PDFName.of('CS')));
  if (!space || ![1, 2, 4, 8, 16].includes(bpc)) return undefined;
  const rowBytes = Math.ceil((width * space.n * bpc) / 8);
  const samples = decodeFilters(job, job.stream, job.decrypt, rowBytes * height);
  if (!samples || samples.length < rowBytes * height) return undefined;
  if (isMask) return fromBits(samples);
  const out = new Uint8Array(width * height);
  const comp = new Uint8Array(space.n);
  const max = (1 << Math.min(bpc, 8)) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < space.n; k++) {
        const idx = x * space.n + k;
        let v: number;
        if (bpc === 8) v = samples[row + idx]!;
        else if (bpc === 16) v = samples[row + idx * 2]!;
        else {
          const bit = idx * bpc;
          v = (samples[row + (bit >> 3)]! >> (8 - bpc - (bit & 7))) & max;
          // Indexed spaces take the index itself; others scale the sample to 0-255.
          if (!space.indexed) v = Math.round((v * 255) / max);
        }
        comp[k] = inverted && space.n === 1 && !space.indexed ? 255 - v : v;
      }
      out[y * width + x] = space.dark(comp, 0);
    }
  }
  return { width, height, data: out };
}

/**
 * The inked parts of a page-sized image as rectangles in user space: the image is cut into about 256 × 256
 * cells, and a cell with a few pixels darker than INK_BELOW counts as taken (a speck of scanner noise does not).
 * Undefined when the image cannot be decoded (the caller then counts the whole image).
 * @example const rects = await imageInk(job) ?? [rectInUser(job.ctm, 0, 0, 1, 1)]
 */
export async function imageInk(job: ImageJob): Promise<Rect[] | undefined> {
  const img = await decodeImage(job);
  if (!img) return undefined;
  const { width, height, data } = img;
  const cell = Math.max(1, Math.ceil(Math.max(width, height) / TARGET_CELLS));
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const dark = new Uint32Array(cols * rows);
  const colCell = new Int32Array(width);
  for (let x = 0; x < width; x++) colCell[x] = (x / cell) | 0;
  for (let y = 0; y < height; y++) {
    const base = ((y / cell) | 0) * cols;
    const row = y * width;
    for (let x = 0; x < width; x++) if (data[row + x]! < INK_BELOW) dark[base + colCell[x]!]++;
  }
  const need = cell * cell >= 16 ? 2 : 1;
  const out: Rect[] = [];
  for (let cy = 0; cy < rows; cy++) {
    let cx = 0;
    while (cx < cols) {
      if (dark[cy * cols + cx]! < need) {
        cx++;
        continue;
      }
      let ex = cx + 1;
      while (ex < cols && dark[cy * cols + ex]! >= need) ex++;
      // Image space: column u = x / width, row 0 at the top (v = 1 - y / height), ISO 32000-1 §8.9.4.
      const u0 = (cx * cell) / width;
      const u1 = Math.min(width, ex * cell) / width;
      const v1 = 1 - (cy * cell) / height;
      const v0 = 1 - Math.min(height, (cy + 1) * cell) / height;
      out.push(rectInUser(job.ctm, u0, v0, u1, v1));
      cx = ex;
    }
  }
  return out;
}
