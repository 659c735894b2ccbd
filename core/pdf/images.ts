// The page images of a PDF, found at the byte level (no PDF library): where a scanned paper copy keeps its QR.
import { UrsealError } from '../errors.js';
import { inflate } from '../zlib/inflate.js';
import { decodeCcitt } from './ccitt.js';

/** A page image: JPEG bytes to hand to a QR reader, or decoded pixels (RGBA, 8 bits per channel). */
export type PdfImage = { kind: 'jpeg'; bytes: Uint8Array } | { kind: 'rgba'; width: number; height: number; data: Uint8Array };

/** Limits: scans of a few pages at 300 dpi fit; a hostile file cannot make us allocate more. */
export const PDF_IMAGE_LIMITS = { maxImages: 20, maxPixels: 40_000_000, maxDictLength: 4096 } as const;

const latin1 = new TextDecoder('latin1');

function num(dict: string, key: string): number | undefined {
  const m = new RegExp(`/${key}\\s+(\\d+)`).exec(dict);
  return m ? Number(m[1]) : undefined;
}

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

/** Decode a Flate image (DeviceGray or DeviceRGB, 1 or 8 bits, optional PNG predictor) to RGBA. */
function flatePixels(dict: string, stream: Uint8Array): PdfImage | undefined {
  const width = num(dict, 'Width');
  const height = num(dict, 'Height');
  const bits = /\/ImageMask\s+true/.test(dict) ? 1 : num(dict, 'BitsPerComponent');
  const colors = /\/ColorSpace\s*\/DeviceRGB/.test(dict) ? 3 : /\/ColorSpace\s*\/DeviceGray/.test(dict) || bits === 1 ? 1 : 0;
  if (!width || !height || (bits !== 1 && bits !== 8) || colors === 0) return undefined;
  if (width * height > PDF_IMAGE_LIMITS.maxPixels) return undefined;
  const rowBytes = Math.ceil((width * colors * bits) / 8);
  const predictor = num(dict, 'Predictor') ?? 1;
  if (predictor !== 1 && predictor < 10) return undefined; // TIFF predictor: rare in scans
  const expected = (rowBytes + (predictor >= 10 ? 1 : 0)) * height;
  let data = inflate(stream, expected);
  if (predictor >= 10) data = unpredictPng(data, rowBytes, Math.max(1, (colors * bits) >> 3), height);
  if (data.length < rowBytes * height) return undefined;
  return samplesToRgba(dict, data, width, height, bits, colors, rowBytes);
}

/** Samples (1 or 8 bits, gray or RGB, rows of rowBytes) to RGBA, applying a /Decode [1 0] inversion. */
function samplesToRgba(
  dict: string,
  data: Uint8Array,
  width: number,
  height: number,
  bits: number,
  colors: number,
  rowBytes: number,
): PdfImage {
  const rgba = new Uint8Array(width * height * 4);
  // For 1-bit images (and image masks, ISO 32000-1 §8.9.6.2) 0 is black unless /Decode [1 0] says otherwise.
  const invert = /\/Decode\s*\[\s*1(\.0*)?\s+0(\.0*)?\s*\]/.test(dict);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r: number, g: number, b: number;
      if (bits === 1) {
        const bit = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
        r = g = b = (bit ^ (invert ? 1 : 0)) * 255;
      } else if (colors === 1) {
        r = g = b = data[y * rowBytes + x]!;
      } else {
        const i = y * rowBytes + x * 3;
        r = data[i]!;
        g = data[i + 1]!;
        b = data[i + 2]!;
      }
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = 255;
    }
  }
  return { kind: 'rgba', width, height, data: rgba };
}

/**
 * Decode a CCITT fax image (Group 4, /K < 0, what scanners write for black-and-white pages; or Group 3) to
 * RGBA. /DecodeParms may be inline or an indirect object.
 */
function ccittPixels(dict: string, stream: Uint8Array, text: string): PdfImage | undefined {
  const width = num(dict, 'Width');
  const height = num(dict, 'Height');
  if (!width || !height || width * height > PDF_IMAGE_LIMITS.maxPixels) return undefined;
  let params = /\/DecodeParms\s*<<([^>]*)>>/.exec(dict)?.[1];
  const ref = /\/DecodeParms\s+(\d+)\s+(\d+)\s+R/.exec(dict);
  if (params === undefined && ref) {
    const at = text.search(new RegExp(`(^|[\\r\\n\\s])${ref[1]}\\s+${ref[2]}\\s+obj\\s*<<`));
    if (at >= 0) params = /<<([^>]*)>>/.exec(text.slice(at, at + PDF_IMAGE_LIMITS.maxDictLength))?.[1];
  }
  params ??= '';
  const k = Number(/\/K\s+(-?\d+)/.exec(params)?.[1] ?? '0');
  const columns = num(params, 'Columns') ?? 1728;
  const rows = num(params, 'Rows') ?? height;
  if (columns !== width || rows > height) return undefined;
  const black = decodeCcitt(stream, columns, height, k, /\/EncodedByteAlign\s+true/.test(params));
  // Samples as the image dictionary reads them: with /BlackIs1 false (the default) a 0 sample is black.
  if (!/\/BlackIs1\s+true/.test(params)) for (let i = 0; i < black.length; i++) black[i] = ~black[i]! & 0xff;
  return samplesToRgba(dict, black, width, height, 1, 1, (width + 7) >> 3);
}

/**
 * The images of a PDF in file order (JPEG streams as they are; Flate and CCITT fax images decoded to RGBA), at most
 * `max`: what scanners and scanning apps put on each page. Streams are never inside object streams
 * (ISO 32000-1 §7.5.7), so every image's dictionary sits in plain text right before its `stream` keyword.
 * Images with other filters (JBIG2, JPX) are skipped. Never throws for bad input.
 * @example for (const img of pdfImages(bytes)) texts.push(...(img.kind === 'jpeg' ? await readQrCodes(img.bytes) : ...))
 */
export function pdfImages(bytes: Uint8Array, max: number = PDF_IMAGE_LIMITS.maxImages): PdfImage[] {
  const text = latin1.decode(bytes);
  const out: PdfImage[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && out.length < max) {
    if (text.slice(m.index - 3, m.index) === 'end') continue;
    const dictStart = text.lastIndexOf(' obj', m.index);
    if (dictStart < 0 || m.index - dictStart > PDF_IMAGE_LIMITS.maxDictLength) continue;
    const dict = text.slice(dictStart, m.index);
    if (!/\/Subtype\s*\/Image/.test(dict)) continue;
    const start = m.index + m[0].length;
    // /Length as a number; an indirect /Length (n 0 R) is not followed: the stream then ends at `endstream`.
    const declared = /\/Length\s+\d+\s+\d+\s+R/.test(dict) ? undefined : num(dict, 'Length');
    const end = declared !== undefined && start + declared <= bytes.length ? start + declared : text.indexOf('endstream', start);
    if (end < 0) break;
    re.lastIndex = end;
    const filter = /\/Filter\s*(\[\s*)?\/(\w+)\s*\]?/.exec(dict)?.[2];
    if (filter === 'DCTDecode' && bytes[start] === 0xff && bytes[start + 1] === 0xd8) {
      out.push({ kind: 'jpeg', bytes: bytes.subarray(start, end) });
    } else if (filter === 'FlateDecode' || filter === 'CCITTFaxDecode') {
      try {
        const stream = bytes.subarray(start, end);
        const img = filter === 'FlateDecode' ? flatePixels(dict, stream) : ccittPixels(dict, stream, text);
        if (img) out.push(img);
      } catch (e) {
        if (!(e instanceof UrsealError)) throw e; // a damaged image: skip it, look at the next
      }
    }
  }
  return out;
}

/** Whether bytes look like a PDF (the header may follow up to 1024 bytes of junk, as readers accept). */
export function isPdf(bytes: Uint8Array): boolean {
  return latin1.decode(bytes.subarray(0, 1024)).includes('%PDF-');
}
