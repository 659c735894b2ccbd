// The page images of a PDF, found at the byte level (no PDF library): where a scanned paper copy keeps its QR.
import { UrsealError } from '../errors.js';
import { inflate } from '../zlib/inflate.js';
import { decodeCcitt } from './ccitt.js';
import { isDict, isName, isRef, ObjectIndex, type PdfValue } from './objects.js';

/**
 * A page image: JPEG bytes to hand to a QR reader, decoded pixels (RGBA, 8 bits per channel), or a JBIG2 or
 * JPEG 2000 image still coded (decodeScanImage in scan-images.ts decodes those with pdf.js's decoders, loaded
 * only when a file holds one).
 */
export type PdfImage =
  | { kind: 'jpeg'; bytes: Uint8Array }
  | { kind: 'rgba'; width: number; height: number; data: Uint8Array }
  | {
      kind: 'jbig2';
      width: number;
      height: number;
      /** The embedded JBIG2 stream (ISO 32000-1 §7.4.7: segments without the file header). */
      data: Uint8Array;
      /** The /JBIG2Globals stream's segments, decoded before `data`. */
      globals?: Uint8Array;
      /** /Decode [1 0]: show the decoded black as white. */
      invert: boolean;
    }
  | { kind: 'jpx'; width: number; height: number; bytes: Uint8Array };

/**
 * Limits: scans of a few pages at 300 dpi fit; a hostile file cannot make us allocate more. `maxPixels` bounds
 * one image, `maxTotalPixels` all the images of one file together (time and memory of a whole file).
 */
export const PDF_IMAGE_LIMITS = { maxImages: 20, maxPixels: 40_000_000, maxTotalPixels: 160_000_000, maxDictLength: 4096 } as const;

const latin1 = new TextDecoder('latin1');

/** Undo PNG predictors (ISO 32000-1 §7.4.4.4, /Predictor >= 10): one filter-type byte per row. */
function unpredictPng(data: Uint8Array, rowBytes: number, bpp: number, height: number): Uint8Array {
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const type = data[y * (rowBytes + 1)];
    const src = y * (rowBytes + 1) + 1;
    const dst = y * rowBytes;
    if (type === undefined || src + rowBytes > data.length) throw new UrsealError('MALFORMED', 'pdf image: predictor data too short');
    for (let x = 0; x < rowBytes; x++) {
      const raw = data[src + x]!;
      const a = x >= bpp ? out[dst + x - bpp]! : 0;
      const b = y > 0 ? out[dst - rowBytes + x]! : 0;
      const c = x >= bpp && y > 0 ? out[dst - rowBytes + x - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + a;
          break;
        case 2:
          v = raw + b;
          break;
        case 3:
          v = raw + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a),
            pb = Math.abs(p - b),
            pc = Math.abs(p - c);
          v = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new UrsealError('MALFORMED', `pdf image: unknown PNG filter ${type}`);
      }
      out[dst + x] = v & 255;
    }
  }
  return out;
}

/** Undo the TIFF predictor 2 (§7.4.4.4) for 8-bit samples: each sample is the difference from its left neighbour. */
function unpredictTiff8(data: Uint8Array, rowBytes: number, colors: number, height: number): Uint8Array {
  if (data.length < rowBytes * height) throw new UrsealError('MALFORMED', 'pdf image: predictor data too short');
  const out = data.slice(0, rowBytes * height);
  for (let y = 0; y < height; y++)
    for (let x = colors; x < rowBytes; x++) out[y * rowBytes + x] = (out[y * rowBytes + x]! + out[y * rowBytes + x - colors]!) & 255;
  return out;
}

/** RunLengthDecode (§7.4.5), bounded by `max` output bytes. */
function runLength(data: Uint8Array, max: number): Uint8Array {
  const out = new Uint8Array(max);
  let o = 0;
  for (let i = 0; i < data.length;) {
    const n = data[i++]!;
    if (n === 128) break;
    if (n < 128) {
      const len = Math.min(n + 1, max - o, data.length - i);
      out.set(data.subarray(i, i + len), o);
      o += len;
      i += n + 1;
    } else {
      const len = Math.min(257 - n, max - o);
      out.fill(data[i++] ?? 0, o, o + len);
      o += len;
    }
    if (o >= max) break;
  }
  return out.subarray(0, o);
}

/** How the samples of an image map to colour: components per pixel, and a palette for /Indexed. */
interface Colour {
  components: 1 | 3 | 4;
  /** /Indexed: `components` bytes per palette entry; samples are indices. */
  palette?: Uint8Array;
}

function bytesOf(v: PdfValue | undefined, objects: ObjectIndex): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (!isRef(v)) return undefined;
  const o = objects.get(v);
  if (o?.streamStart !== undefined && isDict(o.value)) return streamData(objects, o.value, o.streamStart, 1 << 20);
  return o?.value instanceof Uint8Array ? o.value : undefined;
}

/** The colour space, or undefined when it is absent or cannot be resolved (the caller then infers it from the data size). */
function colourOf(cs: PdfValue | undefined, objects: ObjectIndex, depth = 0): Colour | undefined {
  const v = objects.resolve(cs);
  if (depth > 4) return undefined;
  const byName = (n: string): Colour | undefined =>
    n === 'DeviceGray' || n === 'CalGray' || n === 'G'
      ? { components: 1 }
      : n === 'DeviceRGB' || n === 'CalRGB' || n === 'RGB'
        ? { components: 3 }
        : n === 'DeviceCMYK' || n === 'CMYK'
          ? { components: 4 }
          : undefined;
  if (isName(v)) return byName(v.name);
  if (!Array.isArray(v) || !isName(v[0])) return undefined;
  const family = v[0].name;
  if (family === 'ICCBased') {
    // The profile stream's /N says how many components (§8.6.5.5); its /Alternate is the same count.
    const profile = isRef(v[1]) ? objects.get(v[1]) : undefined;
    const n = isDict(profile?.value) ? objects.resolve(profile.value.get('N')) : undefined;
    return n === 1 || n === 3 || n === 4 ? { components: n } : undefined;
  }
  if (family === 'CalGray' || family === 'CalRGB' || family === 'Lab') return { components: family === 'CalGray' ? 1 : 3 };
  if (family === 'Indexed' || family === 'I') {
    const base = colourOf(v[1], objects, depth + 1);
    const lookup = bytesOf(v[3], objects);
    if (!base || base.palette || !lookup) return undefined;
    return { components: base.components, palette: lookup };
  }
  return undefined;
}

/** Samples (1, 2, 4, 8 or 16 bits; rows of `rowBytes`) to RGBA, applying /Decode inversion and an /Indexed palette. */
function samplesToRgba(
  data: Uint8Array,
  width: number,
  height: number,
  bits: number,
  colour: Colour,
  rowBytes: number,
  invert: boolean,
): PdfImage {
  const samples = colour.palette ? 1 : colour.components;
  const rgba = new Uint8Array(width * height * 4);
  if (bits === 8 && !colour.palette && !invert && samples !== 4) {
    // The common scans (8-bit grey or RGB) without the general per-sample path: about 10x faster on a page.
    for (let y = 0; y < height; y++) {
      let i = y * rowBytes;
      let o = y * width * 4;
      for (let x = 0; x < width; x++, o += 4) {
        if (samples === 1) rgba[o] = rgba[o + 1] = rgba[o + 2] = data[i++]!;
        else {
          rgba[o] = data[i++]!;
          rgba[o + 1] = data[i++]!;
          rgba[o + 2] = data[i++]!;
        }
        rgba[o + 3] = 255;
      }
    }
    return { kind: 'rgba', width, height, data: rgba };
  }
  if (bits === 1 && !colour.palette && samples === 1) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = (((data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1) ^ (invert ? 1 : 0)) * 255;
        const o = (y * width + x) * 4;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = v;
        rgba[o + 3] = 255;
      }
    }
    return { kind: 'rgba', width, height, data: rgba };
  }
  const max = (1 << Math.min(bits, 8)) - 1;
  const comp = new Uint8Array(4);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < samples; c++) {
        const i = x * samples + c;
        let s: number;
        if (bits === 8) s = data[row + i]!;
        else if (bits === 16) s = data[row + 2 * i]!;
        else s = (data[row + ((i * bits) >> 3)]! >> (8 - bits - ((i * bits) & 7))) & max;
        if (invert) s = max - s;
        comp[c] = colour.palette ? s : bits === 8 || bits === 16 ? s : Math.round((s * 255) / max);
      }
      let r: number, g: number, b: number;
      let px: Uint8Array = comp;
      if (colour.palette) {
        const at = comp[0]! * colour.components;
        px = colour.palette.subarray(at, at + colour.components);
      }
      if (colour.components === 1) r = g = b = px[0] ?? 0;
      else if (colour.components === 3) {
        r = px[0] ?? 0;
        g = px[1] ?? 0;
        b = px[2] ?? 0;
      } else {
        // CMYK the simple way (no profile): enough for a black-and-white code.
        const k = px[3] ?? 0;
        r = ((255 - (px[0] ?? 0)) * (255 - k)) / 255;
        g = ((255 - (px[1] ?? 0)) * (255 - k)) / 255;
        b = ((255 - (px[2] ?? 0)) * (255 - k)) / 255;
      }
      const o = (y * width + x) * 4;
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  return { kind: 'rgba', width, height, data: rgba };
}

/** /Decode [1 0 ...]: the first component's range is reversed (what scanners write to flip black and white). */
function decodeInverted(dict: Map<string, PdfValue>, objects: ObjectIndex): boolean {
  const d = objects.resolve(dict.get('Decode'));
  return Array.isArray(d) && typeof d[0] === 'number' && typeof d[1] === 'number' && d[0] > d[1];
}

function intOf(v: PdfValue | undefined, objects: ObjectIndex): number | undefined {
  const n = objects.resolve(v);
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function paramsOf(v: PdfValue | undefined, objects: ObjectIndex): Map<string, PdfValue> {
  const p = objects.resolve(v);
  return isDict(p) ? p : new Map();
}

/** Samples coded without loss (Flate, RunLength or none), with an optional predictor, to RGBA. */
function losslessPixels(
  dict: Map<string, PdfValue>,
  coded: Uint8Array,
  filter: string | undefined,
  params: Map<string, PdfValue>,
  objects: ObjectIndex,
  width: number,
  height: number,
): PdfImage | undefined {
  const mask = objects.resolve(dict.get('ImageMask')) === true;
  const bits = mask ? 1 : intOf(dict.get('BitsPerComponent'), objects);
  if (bits === undefined || ![1, 2, 4, 8, 16].includes(bits)) return undefined;
  const predictor = intOf(params.get('Predictor'), objects) ?? 1;
  if (predictor !== 1 && predictor !== 2 && predictor < 10) return undefined;
  const png = predictor >= 10 ? 1 : 0;
  // The most the samples can take: 4 components; what a colour space cannot tell is inferred from the size.
  const most = (Math.ceil((width * 4 * bits) / 8) + png) * height;
  const raw = filter === 'FlateDecode' ? inflate(coded, most) : filter === 'RunLengthDecode' ? runLength(coded, most) : coded;
  let colour = mask ? { components: 1 as const } : colourOf(dict.get('ColorSpace'), objects);
  if (!colour) {
    for (const n of [1, 3, 4] as const) if ((Math.ceil((width * n * bits) / 8) + png) * height === raw.length) colour = { components: n };
    if (!colour) return undefined;
  }
  const samples = colour.palette ? 1 : colour.components;
  const rowBytes = Math.ceil((width * samples * bits) / 8);
  let data = raw;
  if (png) data = unpredictPng(raw, rowBytes, Math.max(1, (samples * bits) >> 3), height);
  else if (predictor === 2) {
    if (bits !== 8) return undefined;
    data = unpredictTiff8(raw, rowBytes, samples, height);
  }
  if (data.length < rowBytes * height) return undefined;
  // For 1-bit images (and image masks, ISO 32000-1 §8.9.6.2) 0 is black unless /Decode [1 0] says otherwise.
  return samplesToRgba(data, width, height, bits, colour, rowBytes, decodeInverted(dict, objects));
}

/**
 * Decode a CCITT fax image (Group 4, /K < 0, what scanners write for black-and-white pages; or Group 3) to
 * RGBA. /DecodeParms may be inline or an indirect object.
 */
function ccittPixels(
  dict: Map<string, PdfValue>,
  stream: Uint8Array,
  params: Map<string, PdfValue>,
  objects: ObjectIndex,
  width: number,
  height: number,
): PdfImage | undefined {
  const k = intOf(params.get('K'), objects) ?? 0;
  const columns = intOf(params.get('Columns'), objects) ?? 1728;
  const rows = intOf(params.get('Rows'), objects) ?? height;
  if (columns !== width || rows > height) return undefined;
  const black = decodeCcitt(stream, columns, height, k, objects.resolve(params.get('EncodedByteAlign')) === true);
  // Samples as the image dictionary reads them: with /BlackIs1 false (the default) a 0 sample is black.
  if (objects.resolve(params.get('BlackIs1')) !== true) for (let i = 0; i < black.length; i++) black[i] = ~black[i]! & 0xff;
  return samplesToRgba(black, width, height, 1, { components: 1 }, (width + 7) >> 3, decodeInverted(dict, objects));
}

/** A stream's data: /Length (direct or indirect) when it fits, else up to `endstream`; Flate-decoded if so filtered. */
function streamData(objects: ObjectIndex, dict: Map<string, PdfValue>, start: number, maxDecoded: number): Uint8Array | undefined {
  const end = streamEnd(objects, dict, start);
  if (end < 0) return undefined;
  const raw = new Uint8Array(end - start);
  for (let i = 0; i < raw.length; i++) raw[i] = objects.text.charCodeAt(start + i);
  const filters = filtersOf(dict, objects);
  if (filters === undefined || filters.some((f) => f !== 'FlateDecode')) return undefined;
  let data: Uint8Array = raw;
  for (let i = 0; i < filters.length; i++) data = inflate(data, maxDecoded);
  return data;
}

function streamEnd(objects: ObjectIndex, dict: Map<string, PdfValue>, start: number): number {
  return objects.streamEnd(dict, start);
}

/** The filter names in order (abbreviations of inline images spelled out), or undefined when not all are names. */
function filtersOf(dict: Map<string, PdfValue>, objects: ObjectIndex): string[] | undefined {
  const f = objects.resolve(dict.get('Filter'));
  const list = f === undefined || f === null ? [] : Array.isArray(f) ? f.map((x) => objects.resolve(x)) : [f];
  const short: Record<string, string> = { Fl: 'FlateDecode', DCT: 'DCTDecode', CCF: 'CCITTFaxDecode', RL: 'RunLengthDecode' };
  const names: string[] = [];
  for (const x of list) {
    if (!isName(x)) return undefined;
    names.push(short[x.name] ?? x.name);
  }
  return names;
}

/** One image XObject to a PdfImage, or undefined for what is not read (other filters, sizes out of bounds). */
function imageOf(dict: Map<string, PdfValue>, stream: Uint8Array, objects: ObjectIndex): PdfImage | undefined {
  const width = intOf(dict.get('Width'), objects);
  const height = intOf(dict.get('Height'), objects);
  if (!width || !height || width < 1 || height < 1 || width * height > PDF_IMAGE_LIMITS.maxPixels) return undefined;
  const filters = filtersOf(dict, objects);
  if (!filters) return undefined;
  const parmsValue = objects.resolve(dict.get('DecodeParms') ?? dict.get('DP'));
  const parms = Array.isArray(parmsValue) ? parmsValue : [parmsValue];
  // Filters before the last (e.g. [/FlateDecode /DCTDecode]) may only be Flate without a predictor.
  let data = stream;
  const codedMax = PDF_IMAGE_LIMITS.maxPixels * 4;
  for (let i = 0; i < filters.length - 1; i++) {
    if (filters[i] !== 'FlateDecode' || (intOf(paramsOf(parms[i], objects).get('Predictor'), objects) ?? 1) !== 1) return undefined;
    data = inflate(data, codedMax);
  }
  const last = filters[filters.length - 1];
  const params = paramsOf(parms[filters.length - 1], objects);
  switch (last) {
    case 'DCTDecode':
      return data[0] === 0xff && data[1] === 0xd8 ? { kind: 'jpeg', bytes: data } : undefined;
    case 'JPXDecode':
      return { kind: 'jpx', width, height, bytes: data };
    case 'JBIG2Decode': {
      const g = params.get('JBIG2Globals');
      let globals: Uint8Array | undefined;
      if (g !== undefined && g !== null) {
        const o = isRef(g) ? objects.get(g) : undefined;
        // Globals named but not found: decoding without them would misread the page (skip the image).
        if (o?.streamStart === undefined || !isDict(o.value)) return undefined;
        globals = streamData(objects, o.value, o.streamStart, 1 << 24);
        if (!globals) return undefined;
      }
      return { kind: 'jbig2', width, height, data, invert: decodeInverted(dict, objects), ...(globals ? { globals } : {}) };
    }
    case 'CCITTFaxDecode':
      return ccittPixels(dict, data, params, objects, width, height);
    case 'FlateDecode':
    case 'RunLengthDecode':
    case undefined:
      return losslessPixels(dict, data, last, params, objects, width, height);
    default:
      return undefined; // LZW, ASCII filters: not what scanners write
  }
}

/** Pixels an image will cost once decoded (JPEG: unknown here, counted as nothing). */
function pixelsOf(img: PdfImage): number {
  return img.kind === 'jpeg' ? 0 : img.width * img.height;
}

/**
 * The images of a PDF in file order, one at a time (JPEG streams as they are; Flate, RunLength, uncompressed and
 * CCITT fax images decoded to RGBA; JBIG2 and JPEG 2000 still coded), at most `max` and at most
 * PDF_IMAGE_LIMITS.maxTotalPixels together: what scanners and scanning apps put on each page. Streams are never
 * inside object streams (ISO 32000-1 §7.5.7), so every image's dictionary sits in plain text right before its
 * `stream` keyword; references in it (/Length, /ColorSpace, /DecodeParms, /JBIG2Globals) are followed by their
 * `n g obj` headers. Never throws for bad input: a damaged image is skipped.
 * @example for (const img of pageImages(bytes)) if (img.kind === 'jpeg') texts.push(...(await readQrCodes(img.bytes)))
 */
export function* pageImages(bytes: Uint8Array, max: number = PDF_IMAGE_LIMITS.maxImages): Generator<PdfImage> {
  const text = latin1.decode(bytes);
  const objects = new ObjectIndex(text, PDF_IMAGE_LIMITS.maxDictLength);
  const re = /stream(\r\n|\n|\r)/g;
  let found = 0;
  let pixels = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && found < max) {
    if (text.slice(m.index - 3, m.index) === 'end') continue;
    // The last `n g obj` header within maxDictLength before the keyword (not just the last "obj": a name may hold it).
    const from = Math.max(0, m.index - PDF_IMAGE_LIMITS.maxDictLength);
    const window = text.slice(from, m.index);
    const headers = /\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj(?![A-Za-z0-9])/g;
    let head = -1;
    for (let h = headers.exec(window); h !== null; h = headers.exec(window)) head = from + h.index + h[0].length;
    if (head < 0) continue;
    const obj = objects.parseAt(head);
    const start = m.index + m[0].length;
    if (!obj || obj.streamStart !== start || !isDict(obj.value)) continue;
    const dict = obj.value;
    const end = streamEnd(objects, dict, start);
    if (end < 0) break;
    re.lastIndex = end;
    const subtype = objects.resolve(dict.get('Subtype'));
    if (!isName(subtype) || subtype.name !== 'Image') continue;
    let img: PdfImage | undefined;
    try {
      img = imageOf(dict, bytes.subarray(start, end), objects);
    } catch (e) {
      if (!(e instanceof UrsealError)) throw e; // a damaged image: skip it, look at the next
    }
    if (!img) continue;
    pixels += pixelsOf(img);
    if (pixels > PDF_IMAGE_LIMITS.maxTotalPixels) return;
    found++;
    yield img;
  }
}

/**
 * The images of a PDF as a list (see pageImages, which decodes them one at a time).
 * @example const first = pdfImages(bytes)[0];
 */
export function pdfImages(bytes: Uint8Array, max: number = PDF_IMAGE_LIMITS.maxImages): PdfImage[] {
  return [...pageImages(bytes, max)];
}

/** Whether bytes look like a PDF (the header may follow up to 1024 bytes of junk, as readers accept). */
export function isPdf(bytes: Uint8Array): boolean {
  return latin1.decode(bytes.subarray(0, 1024)).includes('%PDF-');
}
