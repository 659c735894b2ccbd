// Where a page already shows something: rectangles of its text, pictures and vector art, so that the stamp goes where the page is blank.
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  StandardFontEmbedder,
  type PDFObject,
  type PDFPageLeaf,
} from '@cantoo/pdf-lib';
import { inflate } from '../../core/zlib/inflate.js';
import { imageInk, type ImageJob } from './ink.js';
import { intersect, multiply, rectInUser, type Matrix, type Rect } from './layout.js';

/*
 * A reading of the page's content streams (ISO 32000-1 §8-9), enough to know where marks are, not to draw
 * them: the graphics state (q, Q, cm, clipping W/W* as a bounding box, fill and stroke colours, line width),
 * paths (m, l, c, v, y, re, h and the painting operators), text (BT, Tm, Td, TD, T*, TL, Tf, Tz, Tc, Tw, Ts and
 * Tj, TJ, ', "), images (Do, inline BI/ID/EI), shadings (sh) and forms drawn with Do (read up to three levels
 * deep, through their /Matrix and clipped to their /BBox).
 * - Text width comes from the font's /Widths (simple fonts), /W and /DW (CID fonts), the standard 14 metrics,
 *   or a wide default; the box spans from 0.3 em below the baseline to 1.05 em above it, plus 0.15 em on
 *   each side: a safety margin for accents, italics and fonts whose widths are off.
 * - A stroked path counts segment by segment (a frame around the page leaves the inside free), widened by
 *   the line width; a filled path counts as its bounding box. Paint in white (or no paint: `n`) does not count.
 * - An image counts as its box, except one covering more than half the page (a scan, a letterhead): it is
 *   decoded and only its inked parts count (ink.ts). An image that cannot be decoded counts whole.
 * Encrypted files: streams are decrypted with the file key first (`decrypt`). Content that cannot be read (an
 * unsupported filter, a stream past the size bound, more operators than the budget) counts as covering the whole
 * page, or a form's whole box: nothing there is known to be blank. Nothing here throws.
 */

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** What a mark we cannot locate may cover: the whole page. */
const EVERYWHERE: Rect = [-1e6, -1e6, 1e6, 1e6];
/** Bounds: operators read per page (all streams and forms together), form nesting, rectangles kept. */
const MAX_OPERATORS = 400_000;
/** Largest decoded content stream read (a page's text is far smaller). */
const MAX_CONTENT_BYTES = 8 * 1024 * 1024;
const MAX_FORM_DEPTH = 3;
const MAX_RECTS = 100_000;
/** Colour components at or past this are paper white (fills and strokes in them do not count). */
const WHITE = 0.97;

type Operand = number | { str: Uint8Array } | { name: string } | Operand[];

/** Byte classes of §7.2.2: SPACE (white space), DELIMITER, or 0 (regular). */
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const b of [0, 9, 10, 12, 13, 32]) CLASS[b] = SPACE;
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = DELIMITER;
const isSpace = (b: number | undefined) => b !== undefined && CLASS[b] === SPACE;
/** White space or a delimiter: where a name, number or operator ends. */
const endsToken = (b: number) => CLASS[b] !== 0;

/** A token's text (tokens are short: one String.fromCharCode call costs less than a TextDecoder call). */
function tokenText(bytes: Uint8Array, i: number, j: number): string {
  let s = '';
  for (let k = i; k < j && k < i + 127; k++) s += String.fromCharCode(bytes[k]!);
  return s;
}

const hexValue = (b: number): number =>
  b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;

/** A literal string from just after its `(` (§7.3.4.2): its bytes and where it ends. */
function literalString(bytes: Uint8Array, start: number): { str: Uint8Array; end: number } {
  const out: number[] = [];
  const n = bytes.length;
  let depth = 1;
  let i = start;
  while (i < n) {
    const b = bytes[i++]!;
    if (b === 0x5c) {
      const e = bytes[i++];
      if (e === undefined) break;
      if (e >= 0x30 && e <= 0x37) {
        let v = e - 0x30;
        for (let k = 0; k < 2 && bytes[i]! >= 0x30 && bytes[i]! <= 0x37; k++) v = v * 8 + (bytes[i++]! - 0x30);
        out.push(v & 255);
      } else if (e === 0x0d) {
        if (bytes[i] === 0x0a) i++; // line continuation
      } else if (e !== 0x0a) {
        out.push({ 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 }[e] ?? e);
      }
    } else if (b === 0x28) {
      depth++;
      out.push(b);
    } else if (b === 0x29) {
      if (--depth === 0) break;
      out.push(b);
    } else out.push(b);
    if (out.length > 65_536) break;
  }
  return { str: Uint8Array.from(out), end: i };
}

/** Content-stream tokens: operands with their operator, calling `op` for each operator. An inline image
 * (§8.9.7) is reported as operator `BI` with its dictionary entries as operands, its data skipped. */
function scan(bytes: Uint8Array, op: (name: string, args: Operand[]) => void, budget: { left: number }): void {
  const n = bytes.length;
  let i = 0;
  const stack: Operand[][] = [[]];
  const top = () => stack[stack.length - 1]!;
  while (i < n && budget.left > 0) {
    const c = bytes[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === 0x25) {
      while (i < n && bytes[i] !== 10 && bytes[i] !== 13) i++; // comment
    } else if (c === 0x28) {
      const s = literalString(bytes, i + 1);
      top().push({ str: s.str });
      i = s.end;
    } else if (c === 0x3c && bytes[i + 1] === 0x3c) {
      // an inline dictionary (marked content properties): skip it, nested ones included
      let depth = 0;
      while (i < n) {
        if (bytes[i] === 0x3c && bytes[i + 1] === 0x3c) {
          depth++;
          i += 2;
        } else if (bytes[i] === 0x3e && bytes[i + 1] === 0x3e) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      top().push({ name: '<<>>' });
    } else if (c === 0x3c) {
      const out: number[] = [];
      let half = -1;
      i++;
      while (i < n && bytes[i] !== 0x3e) {
        const v = hexValue(bytes[i++]!);
        if (v < 0) continue;
        if (half < 0) half = v;
        else {
          out.push(half * 16 + v);
          half = -1;
        }
      }
      if (half >= 0) out.push(half * 16);
      i++;
      top().push({ str: Uint8Array.from(out) });
    } else if (c === 0x5b) {
      stack.push([]);
      i++;
    } else if (c === 0x5d) {
      const arr = stack.length > 1 ? stack.pop()! : [];
      top().push(arr);
      i++;
    } else if (c === 0x2f) {
      let j = i + 1;
      while (j < n && !endsToken(bytes[j]!)) j++;
      top().push({ name: tokenText(bytes, i + 1, j) });
      i = j;
    } else {
      let j = i;
      while (j < n && !endsToken(bytes[j]!)) j++;
      if (j === i) {
        i++; // a stray delimiter
        continue;
      }
      const word = tokenText(bytes, i, j);
      i = j;
      const c0 = word.charCodeAt(0);
      if ((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x2b || c0 === 0x2d || c0 === 0x2e) {
        // a number (§7.3.3); operators never start with a digit, a sign or a point
        const num = Number(word);
        top().push(Number.isFinite(num) ? num : 0);
        continue;
      }
      if (word === 'true' || word === 'false' || word === 'null') {
        top().push(0);
        continue;
      }
      if (word === 'BI') {
        stack.length = 1;
        stack[0] = [];
        continue;
      }
      if (word === 'ID') {
        // inline image data: skip to an "EI" with white space before and after it
        let k = i + 1;
        while (k + 1 < n && !(isSpace(bytes[k - 1]) && bytes[k] === 0x45 && bytes[k + 1] === 0x49 && (k + 2 >= n || isSpace(bytes[k + 2]))))
          k++;
        i = k + 2;
        budget.left--;
        op('BI', top().splice(0));
        stack.length = 1;
        stack[0] = [];
        continue;
      }
      budget.left--;
      op(word, top().splice(0));
      stack.length = 1;
    }
  }
}

function nums(args: Operand[], count: number): number[] | undefined {
  if (args.length < count) return undefined;
  const out = args.slice(args.length - count);
  return out.every((v) => typeof v === 'number') ? (out as number[]) : undefined;
}

/** Decrypts one stream's bytes (the object number is already bound). */
export type Decrypt = (bytes: Uint8Array) => Uint8Array;
/** Makes the decryptor of object `num` `gen` (encrypted files), or undefined when streams are plain. */
export type DecryptFor = ((num: number, gen: number) => Decrypt) | undefined;

/** The raw (still encoded) bytes of a stream, decrypted when `decrypt` is given; else undefined. */
export function rawStreamBytes(stream: unknown, decrypt?: Decrypt): Uint8Array | undefined {
  try {
    if (!(stream instanceof PDFStream)) return undefined;
    if (!(stream instanceof PDFRawStream)) return stream.getContents();
    const data = stream.getContents();
    return decrypt ? decrypt(data) : data;
  } catch {
    return undefined;
  }
}

/** The bytes of a content stream, decoded (none or Flate, at most MAX_CONTENT_BYTES); else undefined. */
export function streamBytes(stream: unknown, decrypt?: Decrypt): Uint8Array | undefined {
  try {
    if (!(stream instanceof PDFStream)) return undefined;
    if (!(stream instanceof PDFRawStream)) return stream.getContents();
    const filter = stream.dict.get(PDFName.of('Filter'));
    const only = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter;
    const data = rawStreamBytes(stream, decrypt);
    if (!data) return undefined;
    if (only === undefined) return data;
    // Flate only, and bounded: an uploaded file must not make the stamper inflate a zip bomb (pdf-lib's
    // decoders have no output limit). Other filters are rare on page content: such a page is not read.
    if (only !== PDFName.of('FlateDecode') || stream.dict.get(PDFName.of('DecodeParms')) !== undefined) return undefined;
    try {
      return inflate(data, MAX_CONTENT_BYTES);
    } catch {
      // Some writers count the line break before `endstream` in the stream: try without it.
      let end = data.length;
      while (end > 0 && (data[end - 1] === 10 || data[end - 1] === 13 || data[end - 1] === 32)) end--;
      return end < data.length ? inflate(data.subarray(0, end), MAX_CONTENT_BYTES) : undefined;
    }
  } catch {
    return undefined;
  }
}

/** Resolves a reference, loading the object if the (focused) loader has not yet; other values as they are. */
export type Resolve = (obj: PDFObject | undefined) => PDFObject | undefined;

/** How one font turns shown bytes into widths (text space units per 1 of font size). */
interface FontMetrics {
  bytesPerCode: 1 | 2;
  width(code: number): number;
  /** Type 3 fonts: glyph space to text space. */
  scale: number;
}

interface Reader {
  resolve: Resolve;
  decryptFor: DecryptFor;
  out: Rect[];
  pageArea: number;
  budget: { left: number };
  images: ImageJob[];
  fonts: Map<PDFObject, FontMetrics>;
}

interface GState {
  ctm: Matrix;
  /** Bounding box of the clipping path (and of a soft mask's group, which hides everything outside it). */
  clip: Rect | null;
  /** The clip before the current soft mask narrowed it (restored by an ExtGState with /SMask /None). */
  clipNoMask: Rect | null | undefined;
  fillWhite: boolean;
  strokeWhite: boolean;
  fillSpace: string;
  strokeSpace: string;
  lineWidth: number;
  font: FontMetrics | undefined;
  size: number;
  charSpace: number;
  wordSpace: number;
  scale: number;
  leading: number;
  rise: number;
}

const standardWidths = new Map<string, number[]>();

/** Widths of codes 0-255 in a standard 14 font (WinAnsi for Latin text), from pdf-lib's AFM metrics. */
function standardTable(base: string): number[] {
  const name = /courier/i.test(base)
    ? 'Courier'
    : /times|roman|serif/i.test(base) && !/sans/i.test(base)
      ? /bold/i.test(base)
        ? 'Times-Bold'
        : 'Times-Roman'
      : /symbol/i.test(base)
        ? 'Symbol'
        : /dingbat/i.test(base)
          ? 'ZapfDingbats'
          : /bold|black|heavy/i.test(base)
            ? 'Helvetica-Bold'
            : 'Helvetica';
  let t = standardWidths.get(name);
  if (!t) {
    const emb = StandardFontEmbedder.for(name as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
    t = [];
    for (let c = 0; c < 256; c++) {
      let w = 0;
      if ((c >= 32 && c < 127) || c >= 160) {
        try {
          w = emb.widthOfTextAtSize(String.fromCharCode(c), 1000);
        } catch {
          w = 0;
        }
      }
      t.push(w > 0 ? w : 1000);
    }
    standardWidths.set(name, t);
  }
  return t;
}

function numberOf(r: Reader, o: PDFObject | undefined, d: number): number {
  const v = r.resolve(o);
  return v instanceof PDFNumber ? v.asNumber() : d;
}

/** The metrics of a font dictionary (cached per dictionary). */
function fontMetrics(r: Reader, fontObj: PDFObject | undefined): FontMetrics {
  const font = r.resolve(fontObj);
  const cached = font && r.fonts.get(font);
  if (cached) return cached;
  let m: FontMetrics = { bytesPerCode: 1, width: () => 1000, scale: 1 / 1000 };
  try {
    if (font instanceof PDFDict) m = readFont(r, font);
  } catch {
    // keep the wide default
  }
  if (font) r.fonts.set(font, m);
  return m;
}

function readFont(r: Reader, font: PDFDict): FontMetrics {
  const subtype = r.resolve(font.get(PDFName.of('Subtype')));
  if (subtype === PDFName.of('Type0')) {
    const kids = r.resolve(font.get(PDFName.of('DescendantFonts')));
    const cid = kids instanceof PDFArray ? r.resolve(kids.get(0)) : undefined;
    const dw = cid instanceof PDFDict ? numberOf(r, cid.get(PDFName.of('DW')), 1000) : 1000;
    const widths = new Map<number, number>();
    const w = cid instanceof PDFDict ? r.resolve(cid.get(PDFName.of('W'))) : undefined;
    if (w instanceof PDFArray) {
      // [c [w1 w2 ...]] or [cfirst clast w] (ISO 32000-1 §9.7.4.3); bounded.
      const items = w.asArray().map((x) => r.resolve(x));
      for (let i = 0; i < items.length && widths.size < 70_000;) {
        const first = items[i];
        const next = items[i + 1];
        if (!(first instanceof PDFNumber)) break;
        if (next instanceof PDFArray) {
          const list = next.asArray();
          for (let k = 0; k < list.length && k < 70_000; k++) widths.set(first.asNumber() + k, numberOf(r, list[k], dw));
          i += 2;
        } else if (next instanceof PDFNumber && items[i + 2] instanceof PDFNumber) {
          const last = Math.min(next.asNumber(), first.asNumber() + 70_000);
          const v = (items[i + 2] as PDFNumber).asNumber();
          for (let c = first.asNumber(); c <= last; c++) widths.set(c, v);
          i += 3;
        } else break;
      }
    }
    // Codes are two bytes under Identity-H/V and the usual UCS-2 CMaps; the code is the CID under Identity.
    return { bytesPerCode: 2, width: (c) => Math.max(widths.get(c) ?? dw, 0), scale: 1 / 1000 };
  }
  let scale = 1 / 1000;
  if (subtype === PDFName.of('Type3')) {
    const fm = r.resolve(font.get(PDFName.of('FontMatrix')));
    const a = fm instanceof PDFArray ? numberOf(r, fm.get(0), 0.001) : 0.001;
    scale = Math.abs(a) || 0.001;
  }
  const first = numberOf(r, font.get(PDFName.of('FirstChar')), 0);
  const widthsObj = r.resolve(font.get(PDFName.of('Widths')));
  const desc = r.resolve(font.get(PDFName.of('FontDescriptor')));
  const missing = desc instanceof PDFDict ? numberOf(r, desc.get(PDFName.of('MissingWidth')), 0) : 0;
  if (widthsObj instanceof PDFArray) {
    const widths = widthsObj.asArray().map((x) => numberOf(r, x, missing));
    const fallback = missing > 0 ? missing : Math.max(500, ...widths.slice(0, 256));
    return { bytesPerCode: 1, width: (c) => Math.max(widths[c - first] ?? fallback, 0), scale };
  }
  const base = r.resolve(font.get(PDFName.of('BaseFont')));
  const table = standardTable(base instanceof PDFName ? base.decodeText() : 'Helvetica-Bold');
  return { bytesPerCode: 1, width: (c) => table[c] ?? 1000, scale };
}

/** Whether colour components in a colour space are paper white. */
function isWhite(space: string, v: number[]): boolean {
  if (v.length === 0) return false;
  if (space === 'CMYK' || space === 'Tint') return v.every((x) => x <= 1 - WHITE);
  if (space === 'Gray' || space === 'RGB') return v.every((x) => x >= WHITE);
  return false;
}

/** The kind of a colour space operand of cs/CS: Gray, RGB, CMYK, Tint (Separation/DeviceN) or Other. */
function spaceKind(r: Reader, resources: PDFDict | undefined, name: string): string {
  const direct: Record<string, string> = {
    DeviceGray: 'Gray',
    CalGray: 'Gray',
    DeviceRGB: 'RGB',
    CalRGB: 'RGB',
    DeviceCMYK: 'CMYK',
    G: 'Gray',
    RGB: 'RGB',
    CMYK: 'CMYK',
  };
  if (direct[name]) return direct[name];
  const spaces = r.resolve(resources?.get(PDFName.of('ColorSpace')));
  const cs = spaces instanceof PDFDict ? r.resolve(spaces.get(PDFName.of(name))) : undefined;
  const head = cs instanceof PDFArray ? r.resolve(cs.get(0)) : cs;
  if (!(head instanceof PDFName)) return 'Other';
  const h = head.decodeText();
  if (direct[h]) return direct[h];
  if (h === 'Separation' || h === 'DeviceN') return 'Tint';
  if (h === 'ICCBased' && cs instanceof PDFArray) {
    const s = r.resolve(cs.get(1));
    const n = s instanceof PDFStream ? numberOf(r, s.dict.get(PDFName.of('N')), 0) : 0;
    return n === 1 ? 'Gray' : n === 3 ? 'RGB' : n === 4 ? 'CMYK' : 'Other';
  }
  return 'Other';
}

/** `rect` clipped to `clip`, added to the output (null when nothing is left). */
function push(r: Reader, rect: Rect, clip: Rect | null): void {
  if (r.out.length >= MAX_RECTS) return;
  const c = clip ? intersect(rect, clip) : rect;
  if (c) r.out.push(c);
}

/** Width scale of a matrix (how much a unit length grows, as the larger axis). */
function matrixScale(m: Matrix): number {
  return Math.max(Math.hypot(m[0], m[1]), Math.hypot(m[2], m[3]));
}

/** The stream a resource entry points at, with its decryptor (the object number comes from its reference). */
function streamOf(r: Reader, obj: PDFObject | undefined): { stream: PDFStream; decrypt: Decrypt | undefined } | undefined {
  const v = r.resolve(obj);
  if (!(v instanceof PDFStream)) return undefined;
  const decrypt = obj instanceof PDFRef && r.decryptFor ? r.decryptFor(obj.objectNumber, obj.generationNumber) : undefined;
  return { stream: v, decrypt };
}

/** Read one content (page or form) drawn through `base`, with its resources. */
function readContent(
  r: Reader,
  bytes: Uint8Array,
  resources: PDFDict | undefined,
  base: Matrix,
  baseClip: Rect | null,
  depth: number,
): void {
  const stack: GState[] = [];
  let gs: GState = {
    ctm: base,
    clip: baseClip,
    clipNoMask: undefined,
    fillWhite: false,
    strokeWhite: false,
    fillSpace: 'Gray',
    strokeSpace: 'Gray',
    lineWidth: 1,
    font: undefined,
    size: 0,
    charSpace: 0,
    wordSpace: 0,
    scale: 1,
    leading: 0,
    rise: 0,
  };
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  // The current path in user space: its bounding box, and each segment's box (for strokes).
  let pathBox: Rect | null = null;
  let segments: Rect[] = [];
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  let pendingClip = false;
  const addPoint = (x: number, y: number): [number, number] => {
    const m = gs.ctm;
    const ux = m[0] * x + m[2] * y + m[4];
    const uy = m[1] * x + m[3] * y + m[5];
    pathBox = pathBox
      ? [Math.min(pathBox[0], ux), Math.min(pathBox[1], uy), Math.max(pathBox[2], ux), Math.max(pathBox[3], uy)]
      : [ux, uy, ux, uy];
    return [ux, uy];
  };
  const segment = (pts: [number, number][]) => {
    if (segments.length > 20_000) return;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    segments.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
  };
  const endPath = (fill: boolean, stroke: boolean) => {
    if (pathBox) {
      if (fill && !gs.fillWhite) push(r, pathBox, gs.clip);
      if (stroke && !gs.strokeWhite) {
        const half = Math.max(0.5, (gs.lineWidth * matrixScale(gs.ctm)) / 2);
        if (segments.length > 20_000) push(r, [pathBox[0] - half, pathBox[1] - half, pathBox[2] + half, pathBox[3] + half], gs.clip);
        else for (const s of segments) push(r, [s[0] - half, s[1] - half, s[2] + half, s[3] + half], gs.clip);
      }
      if (pendingClip) gs.clip = gs.clip ? (intersect(gs.clip, pathBox) ?? [0, 0, 0, 0]) : pathBox;
    }
    pendingClip = false;
    pathBox = null;
    segments = [];
  };
  const show = (s: Uint8Array, adjust: number) => {
    const f = gs.font ?? { bytesPerCode: 1 as const, width: () => 1000, scale: 1 / 1000 };
    const fs = gs.size;
    let advance = 0;
    for (let i = 0; i + f.bytesPerCode <= s.length; i += f.bytesPerCode) {
      const code = f.bytesPerCode === 2 ? s[i]! * 256 + s[i + 1]! : s[i]!;
      advance += f.width(code) * f.scale * fs + gs.charSpace + (f.bytesPerCode === 1 && code === 32 ? gs.wordSpace : 0);
    }
    const before = (-adjust / 1000) * fs;
    advance += before;
    const th: Matrix = [gs.scale, 0, 0, 1, 0, gs.rise];
    if (s.length > 0) {
      const em = Math.abs(fs) || 1;
      const x0 = Math.min(before, advance) - 0.15 * em;
      const x1 = Math.max(before, advance) + 0.15 * em;
      const box = rectInUser(multiply(multiply(th, tm), gs.ctm), x0, -0.3 * em, x1, 1.05 * em);
      push(r, box, gs.clip);
    }
    tm = multiply([1, 0, 0, 1, advance * gs.scale, 0], tm);
  };
  const nextLine = (tx: number, ty: number) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  const image = (dict: PDFDict | undefined, job: Omit<ImageJob, 'ctm' | 'clip' | 'fillWhite'> | undefined) => {
    const box = rectInUser(gs.ctm, 0, 0, 1, 1);
    const visible = gs.clip ? intersect(box, gs.clip) : box;
    if (!visible) return;
    const area = (visible[2] - visible[0]) * (visible[3] - visible[1]);
    const mask = dict ? r.resolve(dict.get(PDFName.of('ImageMask'))) : undefined;
    if (mask && mask.toString() === 'true' && gs.fillWhite) return;
    if (job && area > r.pageArea / 2 && r.images.length < 4) r.images.push({ ...job, ctm: gs.ctm, clip: gs.clip, fillWhite: gs.fillWhite });
    else push(r, box, gs.clip);
  };
  const setColor = (fill: boolean, v: number[] | undefined, space?: string) => {
    if (!v) return;
    if (fill) {
      if (space) gs.fillSpace = space;
      gs.fillWhite = isWhite(gs.fillSpace, v);
    } else {
      if (space) gs.strokeSpace = space;
      gs.strokeWhite = isWhite(gs.strokeSpace, v);
    }
  };
  const numbersOf = (args: Operand[]) => args.filter((a): a is number => typeof a === 'number');
  scan(
    bytes,
    (op, args) => {
      switch (op) {
        case 'q':
          if (stack.length < 64) stack.push({ ...gs });
          break;
        case 'Q':
          gs = stack.pop() ?? gs;
          break;
        case 'cm': {
          const m = nums(args, 6);
          if (m) gs.ctm = multiply(m as Matrix, gs.ctm);
          break;
        }
        case 'w': {
          const v = nums(args, 1);
          if (v) gs.lineWidth = Math.abs(v[0]!);
          break;
        }
        case 'm': {
          const v = nums(args, 2);
          if (v) {
            [cx, cy] = addPoint(v[0]!, v[1]!);
            [sx, sy] = [cx, cy];
          }
          break;
        }
        case 'l': {
          const v = nums(args, 2);
          if (v) {
            const p = addPoint(v[0]!, v[1]!);
            segment([[cx, cy], p]);
            [cx, cy] = p;
          }
          break;
        }
        case 'c':
        case 'v':
        case 'y': {
          const n = op === 'c' ? 6 : 4;
          const v = nums(args, n);
          if (v) {
            const pts: [number, number][] = [[cx, cy]];
            for (let k = 0; k < n; k += 2) pts.push(addPoint(v[k]!, v[k + 1]!));
            segment(pts);
            [cx, cy] = pts[pts.length - 1]!;
          }
          break;
        }
        case 'h':
          segment([
            [cx, cy],
            [sx, sy],
          ]);
          [cx, cy] = [sx, sy];
          break;
        case 're': {
          const v = nums(args, 4);
          if (v) {
            const [x, y, w, h] = v as [number, number, number, number];
            const a = addPoint(x, y);
            const b = addPoint(x + w, y);
            const c = addPoint(x + w, y + h);
            const d = addPoint(x, y + h);
            segment([a, b]);
            segment([b, c]);
            segment([c, d]);
            segment([d, a]);
            [cx, cy] = a;
            [sx, sy] = a;
          }
          break;
        }
        case 'S':
        case 's':
          endPath(false, true);
          break;
        case 'f':
        case 'F':
        case 'f*':
          endPath(true, false);
          break;
        case 'B':
        case 'B*':
        case 'b':
        case 'b*':
          endPath(true, true);
          break;
        case 'n':
          endPath(false, false);
          break;
        case 'W':
        case 'W*':
          pendingClip = true;
          break;
        case 'g':
        case 'G':
          setColor(op === 'g', nums(args, 1), 'Gray');
          break;
        case 'rg':
        case 'RG':
          setColor(op === 'rg', nums(args, 3), 'RGB');
          break;
        case 'k':
        case 'K':
          setColor(op === 'k', nums(args, 4), 'CMYK');
          break;
        case 'cs':
        case 'CS': {
          const n = args[args.length - 1];
          const kind = n && typeof n === 'object' && 'name' in n ? spaceKind(r, resources, n.name) : 'Other';
          // The initial colour of a space (§8.6.8): black for the device spaces, full tint for Separation.
          if (op === 'cs') {
            gs.fillSpace = kind;
            gs.fillWhite = false;
          } else {
            gs.strokeSpace = kind;
            gs.strokeWhite = false;
          }
          break;
        }
        case 'sc':
        case 'scn':
          setColor(true, numbersOf(args));
          break;
        case 'SC':
        case 'SCN':
          setColor(false, numbersOf(args));
          break;
        case 'gs': {
          // A soft mask (ISO 32000-1 §11.6.5.2) shows what is painted only inside its group's bounding box.
          const n = args[args.length - 1];
          if (!n || typeof n !== 'object' || !('name' in n)) break;
          const states = r.resolve(resources?.get(PDFName.of('ExtGState')));
          const state = states instanceof PDFDict ? r.resolve(states.get(PDFName.of(n.name))) : undefined;
          if (!(state instanceof PDFDict)) break;
          const sm = r.resolve(state.get(PDFName.of('SMask')));
          if (sm === PDFName.of('None')) {
            if (gs.clipNoMask !== undefined) gs.clip = gs.clipNoMask;
            gs.clipNoMask = undefined;
          } else if (sm instanceof PDFDict) {
            const g = r.resolve(sm.get(PDFName.of('G')));
            const bbox = g instanceof PDFStream ? r.resolve(g.dict.get(PDFName.of('BBox'))) : undefined;
            if (g instanceof PDFStream && bbox instanceof PDFArray && bbox.size() === 4) {
              const num = (v: PDFObject | undefined) => numberOf(r, v, 0);
              const mArr = r.resolve(g.dict.get(PDFName.of('Matrix')));
              const m = mArr instanceof PDFArray && mArr.size() === 6 ? (mArr.asArray().map(num) as Matrix) : IDENTITY;
              const b = bbox.asArray().map(num);
              const box = rectInUser(
                multiply(m, gs.ctm),
                Math.min(b[0]!, b[2]!),
                Math.min(b[1]!, b[3]!),
                Math.max(b[0]!, b[2]!),
                Math.max(b[1]!, b[3]!),
              );
              if (gs.clipNoMask === undefined) gs.clipNoMask = gs.clip;
              const base = gs.clipNoMask;
              gs.clip = base ? (intersect(base, box) ?? [0, 0, 0, 0]) : box;
            }
          }
          break;
        }
        case 'sh':
          push(r, gs.clip ?? EVERYWHERE, null);
          break;
        case 'BT':
          tm = tlm = IDENTITY;
          break;
        case 'Tm': {
          const m = nums(args, 6);
          if (m) tm = tlm = m as Matrix;
          break;
        }
        case 'Td': {
          const v = nums(args, 2);
          if (v) nextLine(v[0]!, v[1]!);
          break;
        }
        case 'TD': {
          const v = nums(args, 2);
          if (v) {
            gs.leading = -v[1]!;
            nextLine(v[0]!, v[1]!);
          }
          break;
        }
        case 'TL': {
          const v = nums(args, 1);
          if (v) gs.leading = v[0]!;
          break;
        }
        case 'Tc': {
          const v = nums(args, 1);
          if (v) gs.charSpace = v[0]!;
          break;
        }
        case 'Tw': {
          const v = nums(args, 1);
          if (v) gs.wordSpace = v[0]!;
          break;
        }
        case 'Ts': {
          const v = nums(args, 1);
          if (v) gs.rise = v[0]!;
          break;
        }
        case 'T*':
          nextLine(0, -gs.leading);
          break;
        case 'Tf': {
          const v = nums(args, 1);
          if (v) gs.size = v[0]!;
          const n = args[0];
          if (n && typeof n === 'object' && 'name' in n) {
            const fonts = r.resolve(resources?.get(PDFName.of('Font')));
            gs.font = fontMetrics(r, fonts instanceof PDFDict ? fonts.get(PDFName.of(n.name)) : undefined);
          }
          break;
        }
        case 'Tz': {
          const v = nums(args, 1);
          if (v) gs.scale = v[0]! / 100;
          break;
        }
        case "'":
        case '"':
        case 'Tj': {
          if (op === '"') {
            const v = nums(args.slice(0, 2), 2);
            if (v) [gs.wordSpace, gs.charSpace] = v as [number, number];
          }
          if (op !== 'Tj') nextLine(0, -gs.leading); // ' and " move to the next line first
          const s = args[args.length - 1];
          if (s && typeof s === 'object' && 'str' in s) show(s.str, 0);
          break;
        }
        case 'TJ': {
          const a = args[args.length - 1];
          if (Array.isArray(a)) {
            let adjust = 0;
            for (const e of a) {
              if (typeof e === 'number') adjust += e;
              else if (!Array.isArray(e) && 'str' in e) {
                show(e.str, adjust);
                adjust = 0;
              }
            }
            if (adjust !== 0) tm = multiply([1, 0, 0, 1, (-adjust / 1000) * gs.size * gs.scale, 0], tm);
          }
          break;
        }
        case 'BI': {
          // An inline image: small by the standard's advice (4 KB), counted as its box.
          const isMask = args.some(
            (a, i) => typeof a === 'object' && 'name' in a && (a.name === 'IM' || a.name === 'ImageMask') && args[i + 1] === 0,
          );
          if (!(isMask && gs.fillWhite)) image(undefined, undefined);
          break;
        }
        case 'Do': {
          const nameOp = args[args.length - 1];
          if (!nameOp || typeof nameOp !== 'object' || Array.isArray(nameOp) || !('name' in nameOp)) break;
          const xobjects = r.resolve(resources?.get(PDFName.of('XObject')));
          const entry = xobjects instanceof PDFDict ? xobjects.get(PDFName.of(nameOp.name)) : undefined;
          const xo = streamOf(r, entry);
          if (!xo) break;
          const subtype = r.resolve(xo.stream.dict.get(PDFName.of('Subtype')));
          if (subtype === PDFName.of('Image')) {
            image(xo.stream.dict, { stream: xo.stream, decrypt: xo.decrypt, resolve: r.resolve, decryptFor: r.decryptFor });
          } else if (subtype === PDFName.of('Form') && depth < MAX_FORM_DEPTH) {
            const content = streamBytes(xo.stream, xo.decrypt);
            const num = (v: PDFObject) => {
              const x = r.resolve(v);
              return x instanceof PDFNumber ? x.asNumber() : 0;
            };
            const mArr = r.resolve(xo.stream.dict.get(PDFName.of('Matrix')));
            const m = mArr instanceof PDFArray && mArr.size() === 6 ? (mArr.asArray().map(num) as Matrix) : IDENTITY;
            const formCtm = multiply(m, gs.ctm);
            const bbox = r.resolve(xo.stream.dict.get(PDFName.of('BBox')));
            let clip = gs.clip;
            if (bbox instanceof PDFArray && bbox.size() === 4) {
              const b = bbox.asArray().map(num);
              const box = rectInUser(
                formCtm,
                Math.min(b[0]!, b[2]!),
                Math.min(b[1]!, b[3]!),
                Math.max(b[0]!, b[2]!),
                Math.max(b[1]!, b[3]!),
              );
              clip = clip ? (intersect(clip, box) ?? [0, 0, 0, 0]) : box;
            }
            const res = r.resolve(xo.stream.dict.get(PDFName.of('Resources')));
            if (content) readContent(r, content, res instanceof PDFDict ? res : resources, formCtm, clip, depth + 1);
            // A form we cannot read (filter, size, nesting) may show anything inside its box.
            else push(r, clip ?? EVERYWHERE, null);
          } else if (subtype === PDFName.of('Form')) {
            push(r, gs.clip ?? EVERYWHERE, null);
          }
          break;
        }
        default:
          break;
      }
    },
    r.budget,
  );
}

/**
 * Rectangles (default user space) of what a page already shows: text, pictures and vector art; see the notes
 * above. `resolve` loads what it references (the stamper's focused loader parses objects only when asked);
 * `decryptFor` gives the stream decryptor of an object in an encrypted file.
 * @example (await contentRects(leaf, loaded.ensure, 595 * 842)).some((r) => intersect(r, stampBox))
 */
export async function contentRects(leaf: PDFPageLeaf, resolve: Resolve, pageArea: number, decryptFor?: DecryptFor): Promise<Rect[]> {
  const r: Reader = { resolve, decryptFor, out: [], pageArea, budget: { left: MAX_OPERATORS }, images: [], fonts: new Map() };
  try {
    const contents = leaf.get(PDFName.of('Contents'));
    const resolved = resolve(contents);
    const entries = resolved instanceof PDFArray ? resolved.asArray() : [contents];
    const parts: Uint8Array[] = [];
    for (const v of entries) {
      const s = streamOf(r, v);
      const bytes = s ? streamBytes(s.stream, s.decrypt) : undefined;
      if (bytes) parts.push(bytes);
      else if (s) r.out.push(EVERYWHERE); // content we cannot read may show anything, anywhere
    }
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
      joined[o++] = 10; // streams split anywhere between tokens (§7.8.2): join with a line break
    }
    const res = resolve(leaf.get(PDFName.of('Resources'))) ?? leaf.Resources();
    readContent(r, joined, res instanceof PDFDict ? res : undefined, IDENTITY, null, 0);
    if (r.budget.left <= 0) r.out.push(EVERYWHERE); // not read to the end: the rest may be anywhere
  } catch {
    r.out.push(EVERYWHERE); // unreadable content: nowhere is known to be blank
  }
  for (const job of r.images) {
    const inked = await imageInk(job).catch(() => undefined);
    if (inked) for (const rect of inked) push(r, rect, job.clip);
    else push(r, rectInUser(job.ctm, 0, 0, 1, 1), job.clip);
  }
  return r.out;
}
