// Seal text -> QR code: the module matrix (fixed segment modes for seal texts) and crisp SVG / PNG images.
import { deflateSync } from 'node:zlib';
import { create, type QRCodeSegment } from 'qrcode';
import { UrsealError } from '../../core/errors.js';

/** QR error correction level (ISO/IEC 18004 §7.5.1): L 7 %, M 15 %, Q 25 %, H 30 % of codewords. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** Options for {@link qrMatrix}. */
export interface QrMatrixOptions {
  /** Error correction level. Default `'M'`, the level the design sizes seals for (version ≤ 13). */
  errorCorrection?: QrErrorCorrection;
  /** Force this exact version (1-40); INVALID_ARGUMENT if the text does not fit. Default: the smallest that fits. */
  version?: number;
}

/** Options for {@link qrSvg} and {@link qrPng}. */
export interface QrImageOptions extends QrMatrixOptions {
  /** White border in modules. Default and minimum 4 (ISO/IEC 18004 §6.3.8 quiet zone). */
  quietZone?: number;
}

/** Options for {@link qrSvg}. */
export interface QrSvgOptions extends QrImageOptions {
  /** Value of the `width`/`height` attributes, e.g. `'46.2mm'`: an absolute length of at least 0.5 mm per module ({@link qrPrintSizeMm}). Default: none (the viewBox alone, in modules). */
  size?: string;
}

/** Options for {@link qrPng}. */
export interface QrPngOptions extends QrImageOptions {
  /** Pixels per module, an integer from 4 ({@link MIN_PNG_MODULE_PX}) to 100. Default 8: sharp under nearest-neighbour placement. */
  moduleSize?: number;
  /** When set, write a pHYs chunk so that viewers and printers know the physical size (dots per inch). */
  dpi?: number;
}

/** One data segment of a symbol (ISO/IEC 18004 §7.4): its mode and its length in characters (bytes for byte mode). */
export interface QrSegmentInfo {
  mode: 'numeric' | 'alphanumeric' | 'byte' | 'kanji';
  length: number;
}

/** A QR symbol: `modules[y * size + x]` is 1 for a dark module, 0 for a light one (no quiet zone). */
export interface QrMatrix {
  size: number;
  modules: Uint8Array;
  version: number;
  /** The segments encoded, in order. */
  segments: QrSegmentInfo[];
}

/** QR alphanumeric mode characters (ISO/IEC 18004 §7.4.4) = the Base45 alphabet of RFC 9285. */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;
/** Seal text, version 1: `UR1:` + Base45. */
const SEAL_PREFIX = 'UR1:';
/** Link form: `<verifier URL>#UR1B:` + Base32 (RFC 4648, upper case, no padding). */
const LINK_FORM = /^([^#]*#)(UR1B:[A-Z2-7]+)$/;
const MIN_QUIET_ZONE = 4;

/**
 * Smallest printed module, in millimetres: 2 px per module at 100 dpi, 5 px at 254 dpi. Printed QR codes (the
 * PDF stamp, `urseal seal --qr`, the API's QR) are sized by module, not by total width: a longer seal makes a
 * wider code. Measured with test/bench/qr-print.ts (README "QR size").
 */
export const MIN_MODULE_MM = 0.5;
/**
 * Default printed module (mm): at 100 dpi our reader reads every stamped corpus page even after blur and JPEG,
 * and zbarimg every plain render (README "QR size": 0.5 mm misses pages after blur; 0.7 mm is zbarimg's limit).
 */
export const DEFAULT_MODULE_MM = 0.6;
/** Smallest PNG module in pixels: renderers smooth smaller images even with /Interpolate false (DESIGN traps). */
export const MIN_PNG_MODULE_PX = 4;

function invalid(message: string, cause?: unknown): UrsealError {
  return new UrsealError('INVALID_ARGUMENT', message, cause === undefined ? undefined : { cause });
}

/**
 * Segments for a text. A seal is one alphanumeric segment (5.5 bits per character; an automatic split
 * into numeric runs saves a few bits but makes the symbol depend on the encoder's heuristics). The link
 * form is a byte segment for the URL (lower case, so not alphanumeric) and an alphanumeric one for the
 * Base32 part. Anything else is left to qrcode's optimiser.
 */
function segmentsFor(text: string): string | QRCodeSegment[] {
  if (text.startsWith(SEAL_PREFIX)) {
    if (!ALPHANUMERIC.test(text)) throw invalid('seal text: characters outside the Base45 alphabet after "UR1:"');
    return [{ data: text, mode: 'alphanumeric' }];
  }
  const link = LINK_FORM.exec(text);
  if (link) {
    return [
      { data: new TextEncoder().encode(link[1]!), mode: 'byte' },
      { data: link[2]!, mode: 'alphanumeric' },
    ];
  }
  return text;
}

/**
 * Encode a text as a QR symbol and return its module matrix.
 * `UR1:` seals are forced into one alphanumeric segment, the link form into byte + alphanumeric.
 * Throws `UrsealError` INVALID_ARGUMENT for an empty or too long text, or a bad option.
 *
 * @example
 * const { size, modules, version } = qrMatrix('UR1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEZ');
 * // version 3, size 29, modules[0] === 1 (finder pattern corner)
 */
export function qrMatrix(text: string, options: QrMatrixOptions = {}): QrMatrix {
  if (typeof text !== 'string' || text.length === 0) throw invalid('QR text: must be a non-empty string');
  const errorCorrectionLevel = options.errorCorrection ?? 'M';
  if (!['L', 'M', 'Q', 'H'].includes(errorCorrectionLevel)) throw invalid('errorCorrection: must be L, M, Q or H');
  const version = options.version;
  if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= 40)) {
    throw invalid('version: must be an integer from 1 to 40');
  }
  const segments = segmentsFor(text);
  let symbol;
  try {
    symbol = create(segments, version === undefined ? { errorCorrectionLevel } : { errorCorrectionLevel, version });
  } catch (e) {
    throw invalid(`QR text: cannot be encoded (${(e as Error).message.trim()})`, e);
  }
  const size = symbol.modules.size;
  const modules = new Uint8Array(size * size);
  const data = symbol.modules.data;
  for (let i = 0; i < modules.length; i++) modules[i] = data[i] ? 1 : 0;
  const segmentInfo = symbol.segments.map((seg) => ({
    mode: seg.mode.id.toLowerCase() as QrSegmentInfo['mode'],
    length: seg.getLength(),
  }));
  return { size, modules, version: symbol.version, segments: segmentInfo };
}

/**
 * The smallest QR version that holds `text` at the given error correction level, with the same
 * segments as {@link qrMatrix}.
 *
 * @example
 * qrVersionFor('UR1:' + 'A'.repeat(400)) // 12 at level M (capacity 412 alphanumeric characters)
 */
export function qrVersionFor(text: string, ecl: QrErrorCorrection = 'M'): number {
  return qrMatrix(text, { errorCorrection: ecl }).version;
}

function quietZoneOf(options: QrImageOptions): number {
  const q = options.quietZone ?? MIN_QUIET_ZONE;
  if (!Number.isInteger(q) || q < MIN_QUIET_ZONE || q > 64) {
    throw invalid('quietZone: must be an integer from 4 to 64 modules');
  }
  return q;
}

/** Millimetres per CSS absolute unit (CSS Values 4 §6.2: 1in = 2.54cm = 72pt = 96px); a bare number is px. */
const CSS_UNIT_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, px: 25.4 / 96, '': 25.4 / 96 };

/** A CSS length (`'40mm'`, `'1.8in'`) in millimetres; undefined when it is not an absolute length. */
function cssLengthMm(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(px|mm|cm|in|pt)?$/.exec(size);
  return m ? Number(m[1]) * CSS_UNIT_MM[m[2] ?? '']! : undefined;
}

/**
 * Printed width (mm, quiet zone included) of the QR for `text` at `moduleMm` per module: (modules + 2 × 4) ×
 * moduleMm, rounded up to 0.01 mm. The QR's module count grows with the text, so this is the size to print it at.
 *
 * @example qrPrintSizeMm(sealText) // 46.2 for a version-13 seal: (69 + 8) × 0.6 mm
 */
export function qrPrintSizeMm(text: string, moduleMm: number = DEFAULT_MODULE_MM, options: QrMatrixOptions = {}): number {
  if (!(moduleMm >= MIN_MODULE_MM && moduleMm <= 10)) throw invalid(`moduleMm: must be from ${MIN_MODULE_MM} to 10 millimetres`);
  const full = qrMatrix(text, options).size + 2 * MIN_QUIET_ZONE;
  return Math.ceil(full * moduleMm * 100 - 1e-6) / 100;
}

/**
 * Render a QR code as SVG: one path of dark runs on a white background, `shape-rendering="crispEdges"`,
 * a viewBox in module units including the quiet zone (4 modules by default), so it scales to any size. A `size`
 * must be an absolute length of at least {@link MIN_MODULE_MM} per module (INVALID_ARGUMENT otherwise).
 *
 * @example
 * const svg = qrSvg(sealText, { size: `${qrPrintSizeMm(sealText)}mm` }); // a 400-character seal is version 12: 65 + 8 modules
 * // '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 73 73" width="43.8mm" height="43.8mm" ...'
 */
export function qrSvg(text: string, options: QrSvgOptions = {}): string {
  const { size, modules } = qrMatrix(text, options);
  const q = quietZoneOf(options);
  const full = size + 2 * q;
  if (options.size !== undefined) {
    const mm = cssLengthMm(options.size);
    if (mm === undefined) throw invalid('size: must be a number with a CSS length unit (mm, cm, in, pt, px), e.g. "40mm"');
    const min = Math.ceil(full * MIN_MODULE_MM * 100 - 1e-6) / 100;
    if (mm < min - 1e-9) throw invalid(`size: ${options.size} is below ${min}mm, ${MIN_MODULE_MM} mm per module for this code`);
  }
  let path = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules[y * size + x]) x++;
      path += `M${start + q} ${y + q}H${x + q}V${y + q + 1}H${start + q}Z`;
    }
  }
  // An explicit stroke="none": ImageMagick's own SVG renderer (MSVG) strokes shapes by default, which fills
  // the light modules between dark runs (checked: the rasterised code stopped reading).
  const dims = options.size === undefined ? '' : ` width="${options.size}" height="${options.size}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}"${dims} shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="#fff" stroke="none"/>` +
    `<path fill="#000" stroke="none" d="${path}"/></svg>`
  );
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk (PNG spec §5.3): length, type, data, CRC over type and data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Render a QR code as an 8-bit greyscale PNG: an integer number of pixels per module (default 8) so
 * every edge falls on a pixel boundary, and a white quiet zone of 4 modules. Deterministic bytes.
 *
 * @example
 * const png = qrPng(sealText, { moduleSize: 6, dpi: 300 }); // Uint8Array starting with 0x89 'PNG'
 */
export function qrPng(text: string, options: QrPngOptions = {}): Uint8Array {
  const scale = options.moduleSize ?? 8;
  if (!Number.isInteger(scale) || scale < MIN_PNG_MODULE_PX || scale > 100) {
    throw invalid(`moduleSize: must be an integer from ${MIN_PNG_MODULE_PX} to 100 pixels`);
  }
  if (options.dpi !== undefined && !(options.dpi > 0 && options.dpi < 100_000)) {
    throw invalid('dpi: must be a positive number');
  }
  const { size, modules } = qrMatrix(text, options);
  const q = quietZoneOf(options);
  const side = (size + 2 * q) * scale;
  // Filter type 0 (None) per row (PNG spec §9.2); deflate does the rest on such regular rows.
  const stride = side + 1;
  const raw = new Uint8Array(stride * side).fill(255);
  for (let py = 0; py < side; py++) {
    raw[py * stride] = 0;
    const my = Math.floor(py / scale) - q;
    if (my < 0 || my >= size) continue;
    for (let mx = 0; mx < size; mx++) {
      if (!modules[my * size + mx]) continue;
      const start = py * stride + 1 + (mx + q) * scale;
      raw.fill(0, start, start + scale);
    }
  }
  const ihdr = new Uint8Array(13);
  const ihdrView = new DataView(ihdr.buffer);
  ihdrView.setUint32(0, side);
  ihdrView.setUint32(4, side);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type 0: greyscale; compression, filter, interlace 0
  const chunks = [pngChunk('IHDR', ihdr)];
  if (options.dpi !== undefined) {
    const phys = new Uint8Array(9);
    const ppm = Math.round(options.dpi / 0.0254);
    new DataView(phys.buffer).setUint32(0, ppm);
    new DataView(phys.buffer).setUint32(4, ppm);
    phys[8] = 1; // unit: metre
    chunks.push(pngChunk('pHYs', phys));
  }
  chunks.push(pngChunk('IDAT', new Uint8Array(deflateSync(raw, { level: 9 }))));
  chunks.push(pngChunk('IEND', new Uint8Array(0)));
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  const total = signature.length + chunks.reduce((n, c) => n + c.length, 0);
  const png = new Uint8Array(total);
  let off = 0;
  for (const part of [signature, ...chunks]) {
    png.set(part, off);
    off += part.length;
  }
  return png;
}
