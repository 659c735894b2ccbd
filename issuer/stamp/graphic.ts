// The stamp drawing: a vector QR (one filled path, no seams) on white with a quiet zone, and a bilingual caption.

import type { PDFFont } from '@cantoo/pdf-lib';
import bidiFactory from 'bidi-js';
import QRCode from 'qrcode';

/** Modules of white border around the code, as the QR spec asks (ISO/IEC 18004 §9.1: 4 modules). */
export const QUIET_ZONE = 4;

/** The QR module grid as qrcode keeps it: one byte per module, row-major, plus reserved flags. */
interface Grid {
  size: number;
  data: Uint8Array;
  reservedBit: Uint8Array;
}

/** Data mask condition (ISO/IEC 18004 §7.8.2, Table 10): true where the module is inverted. */
function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** Format information for level M and mask `p`: BCH(15,5), XOR 0x5412 (§7.9.1). */
function formatBits(p: number): number {
  const data = (0b00 << 3) | p; // level M is 00
  let rem = data << 10;
  for (let b = 14; b >= 10; b--) if ((rem >> b) & 1) rem ^= 0x537 << (b - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

/** Write format information for mask `p` where qrcode's setupFormatInfo puts it. */
function placeFormat(g: Uint8Array, n: number, p: number): void {
  const bits = formatBits(p);
  for (let i = 0; i < 15; i++) {
    const v = (bits >> i) & 1;
    const r = i < 6 ? i : i < 8 ? i + 1 : n - 15 + i;
    g[r * n + 8] = v;
    const c = i < 8 ? n - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    g[8 * n + c] = v;
  }
  g[(n - 8) * n + 8] = 1;
}

/** Mask penalty score N1 + N2 + N3 + N4 (§7.8.3), in typed loops. */
function penalty(g: Uint8Array, n: number): number {
  let score = 0;
  let dark = 0;
  for (let a = 0; a < n; a++) {
    let runR = 0;
    let runC = 0;
    let lastR = -1;
    let lastC = -1;
    let bitsR = 0;
    let bitsC = 0;
    for (let b = 0; b < n; b++) {
      const r = g[a * n + b]!;
      const c = g[b * n + a]!;
      dark += r;
      if (r === lastR) runR++;
      else {
        if (runR >= 5) score += 3 + (runR - 5);
        lastR = r;
        runR = 1;
      }
      if (c === lastC) runC++;
      else {
        if (runC >= 5) score += 3 + (runC - 5);
        lastC = c;
        runC = 1;
      }
      bitsR = ((bitsR << 1) & 0x7ff) | r;
      bitsC = ((bitsC << 1) & 0x7ff) | c;
      if (b >= 10) {
        if (bitsR === 0x5d0 || bitsR === 0x05d) score += 40;
        if (bitsC === 0x5d0 || bitsC === 0x05d) score += 40;
      }
    }
    if (runR >= 5) score += 3 + (runR - 5);
    if (runC >= 5) score += 3 + (runC - 5);
  }
  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const s = g[r * n + c]! + g[r * n + c + 1]! + g[(r + 1) * n + c]! + g[(r + 1) * n + c + 1]!;
      if (s === 0 || s === 4) score += 3;
    }
  }
  score += 10 * Math.abs(Math.ceil((dark * 100) / (n * n) / 5) - 10);
  return score;
}

/** Per symbol size: for each mask, 1 where the mask inverts a (non-reserved) module. */
const maskCache = new Map<number, Uint8Array[]>();

function maskGrids(n: number, reserved: Uint8Array): Uint8Array[] {
  let grids = maskCache.get(n);
  if (!grids) {
    // Function patterns (the reserved modules) depend only on the version, i.e. on the size.
    grids = [];
    for (let p = 0; p < 8; p++) {
      const g = new Uint8Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = !reserved[i * n + j] && maskAt(p, i, j) ? 1 : 0;
      grids.push(g);
    }
    if (maskCache.size > 40) maskCache.clear();
    maskCache.set(n, grids);
  }
  return grids;
}

/**
 * The QR grid for `text` (alphanumeric mode, level M) with the mask of lowest penalty, as the
 * QR spec asks (§7.8.3). Same rules and same result as qrcode's own search, but run on one
 * unmasked grid instead of rebuilding the symbol 8 times: most of a stamp's fixed cost otherwise.
 */
function qrGrid(text: string): { size: number; grid: Uint8Array } {
  // One explicit alphanumeric segment: Base45 is exactly the QR alphanumeric alphabet, so the
  // code is as small as it can be and does not depend on the library's segment heuristics.
  const q = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', maskPattern: 0 } as QRCode.QRCodeOptions);
  const m = q.modules as unknown as Grid;
  const n = m.size;
  const masks = maskGrids(n, m.reservedBit);
  const base = new Uint8Array(n * n);
  for (let k = 0; k < n * n; k++) base[k] = (m.data[k]! & 1) ^ masks[0]![k]!;
  let best: Uint8Array | undefined;
  let bestScore = Infinity;
  for (let p = 0; p < 8; p++) {
    const g = new Uint8Array(n * n);
    const mk = masks[p]!;
    for (let k = 0; k < n * n; k++) g[k] = base[k]! ^ mk[k]!;
    placeFormat(g, n, p);
    const s = penalty(g, n);
    if (s < bestScore) {
      bestScore = s;
      best = g;
    }
  }
  return { size: n, grid: best! };
}

/** Dark modules of the QR for `text`: alphanumeric mode, error correction M, best mask.
 * @example const { size, dark } = qrModules('UR1:ABC'); dark(0, 0) // true (finder pattern) */
export function qrModules(text: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { size, grid } = qrGrid(text);
  return { size, dark: (r, c) => grid[r * size + c] === 1 };
}

/** UAX #9 (Unicode Bidirectional Algorithm, version 13), conformance-tested by its authors (UAX-C1). */
const bidi = bidiFactory();

/** One directional run of a line: its characters in logical order, and whether it reads right to left. */
export interface BidiRun {
  text: string;
  rtl: boolean;
  /** Offset of the run's first character in the line (logical order). */
  start: number;
}

/** Whether `text` has a strong right-to-left character (bidi class R or AL, UAX #9 Table 4). */
function hasStrongRtl(text: string): boolean {
  for (const ch of text) {
    const t = bidi.getBidiCharTypeName(ch);
    if (t === 'R' || t === 'AL') return true;
  }
  return false;
}

/**
 * Split one line into directional runs in visual order (left to right on the page): bidi-js resolves the
 * embedding levels (UAX #9 §3.3.2-3.3.6, rules P-W-N-I), then rule L2 reverses every sequence of runs at or
 * above each level, from the highest down to the lowest odd one. Characters inside a run stay in logical
 * order: the shaper (fontkit) needs them so, and reverses a right-to-left run itself once told its direction
 * (see {@link encodeLine}). Mirrored characters in right-to-left runs are swapped (rule L4), e.g. `(` ↔ `)`:
 * fontkit does not mirror (checked by rendering: without this, `(القاهرة)` was drawn `)القاهرة(`).
 *
 * The paragraph is right to left when the line has a strong right-to-left letter (the caption's Arabic line,
 * whatever it starts with), else left to right; `direction` overrides that.
 *
 * @example bidiRuns('وثيقة رقم ١٤٤٧') // [{ text: '١٤٤٧', rtl: false, start: 10 }, { text: 'وثيقة رقم ', rtl: true, start: 0 }]
 */
export function bidiRuns(text: string, direction?: 'rtl' | 'ltr'): BidiRun[] {
  if (text.length === 0) return [];
  const dir = direction ?? (hasStrongRtl(text) ? 'rtl' : 'ltr');
  const { levels } = bidi.getEmbeddingLevels(text, dir);
  // Level runs in logical order.
  const runs: { start: number; end: number; level: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i]! });
  }
  // L2: from the highest level to the lowest odd level, reverse each maximal sequence of runs at that level or above.
  const max = Math.max(...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => (r.level % 2 === 1 ? r.level : r.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < runs.length;) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  // bidi-js takes the levels array here (not the result object its README shows): an object gave no mirrors.
  const mirrored = bidi.getMirroredCharactersMap(text, levels);
  return runs.map((r) => {
    let t = '';
    for (let i = r.start; i < r.end; i++) t += mirrored.get(i) ?? text[i];
    return { text: t, rtl: r.level % 2 === 1, start: r.start };
  });
}

/**
 * The runs of {@link bidiRuns} as strings, in visual (left-to-right drawing) order. Kept for callers that only
 * measure; to draw, use {@link encodeLine}, which also hands each run's direction to the shaper.
 *
 * @example visualRuns('رقم 2024/117 صادر') // [' صادر', '2024/117', 'رقم '] (each run in logical order)
 */
export function visualRuns(text: string): string[] {
  return bidiRuns(text).map((r) => r.text);
}

/** What {@link encodeLine} needs of a pdf-lib font embedded from a file (`doc.embedFont(bytes, ...)`). */
interface FontkitBacked {
  encodeText(text: string): { toString(): string };
  widthOfTextAtSize(text: string, size: number): number;
  embedder?: { font?: { layout: (text: string, features?: unknown, ...rest: unknown[]) => unknown } };
}

/**
 * Shape and encode one caption line with a pdf-lib custom font. Each bidi run ({@link bidiRuns}) is laid out by
 * fontkit with its direction given explicitly: without it fontkit guesses the direction from the run's script,
 * and Arabic-Indic digits (script Arabic, bidi class AN, drawn left to right) came out reversed (`١٤٤٧` drawn as
 * `٧٤٤١`). pdf-lib's `encodeText` offers no direction, so the font's `layout` is wrapped for the duration of
 * the (synchronous) call.
 *
 * The line is cut into pieces (a left-to-right run, or one word of a right-to-left run) placed at their visual
 * offsets but listed in logical order: drawn in that order, text extraction that follows the content stream
 * (`pdftotext -raw`) gives the words in logical order, and a layout-based one (plain `pdftotext`) reorders the
 * glyphs, which stay in visual order inside each piece, as before.
 *
 * @example const line = encodeLine(font, 'وثيقة رقم ١٤٤٧', 7) // { width: 48.2, pieces: [{ hex: '0012...', x: 14.1 }, ...] }
 */
export function encodeLine(font: PDFFont, text: string, fontSize: number): CaptionLine {
  // `embedder` is private in pdf-lib's types; at run time a custom font's embedder holds the fontkit font.
  const f = font as unknown as FontkitBacked;
  const fk = f.embedder?.font;
  if (typeof fk?.layout !== 'function') throw new TypeError('encodeLine: the font must be embedded from a font file (fontkit)');
  const layout = fk.layout;
  const pieces: (CaptionPiece & { start: number })[] = [];
  let x = 0;
  try {
    for (const run of bidiRuns(text)) {
      const direction = run.rtl ? 'rtl' : 'ltr';
      // fontkit's layout(text, features, script, language, direction): script and language stay automatic.
      fk.layout = (t, features) => layout.call(fk, t, features, undefined, undefined, direction);
      // Arabic letters join only inside a word, so shaping word by word gives the glyphs of the whole run.
      const parts: { text: string; start: number }[] = [];
      if (run.rtl) for (const m of run.text.matchAll(/\s*\S+\s*|\s+/g)) parts.push({ text: m[0], start: run.start + m.index! });
      else parts.push({ text: run.text, start: run.start });
      // Right to left: the run's last word is drawn first (leftmost).
      for (const part of run.rtl ? parts.reverse() : parts) {
        const hex = f.encodeText(part.text).toString().slice(1, -1);
        pieces.push({ hex, x, start: part.start });
        x += f.widthOfTextAtSize(part.text, fontSize);
      }
    }
  } finally {
    fk.layout = layout;
  }
  pieces.sort((p, q) => p.start - q.start);
  return { width: x, pieces: pieces.map(({ hex, x }) => ({ hex, x })) };
}

/** Format a number for a content stream: at most 3 decimals, no exponent, no trailing zeros. @example num(99.21259) // '99.213' */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  if (Object.is(r, -0) || r === 0) return '0';
  return String(r);
}

/** Part of a caption line: shaped glyphs drawn left to right from offset `x`. */
export interface CaptionPiece {
  /** Hex string of glyph ids from the embedded font (already shaped, visual order). */
  hex: string;
  /** Offset from the line's left end at the line's font size, in points. */
  x: number;
}

export interface CaptionLine {
  /** Width of the line at `fontSize`, in points. */
  width: number;
  /** The pieces in logical order (the order they are drawn in), each at its visual offset. */
  pieces: CaptionPiece[];
}

/**
 * Content stream of the stamp form, in its own space `[0, 0, width, height]`: white box, the QR
 * square `width` × `width` at the top (quiet zone included), caption lines centred below it.
 *
 * @example stampContent({ text: 'UR1:ABC', width: 99.2, captionHeight: 0, fontName: 'F0', fontSize: 6, lines: [] })
 */
export function stampContent(opts: {
  text: string;
  width: number;
  captionHeight: number;
  fontName: string;
  fontSize: number;
  lines: CaptionLine[];
}): string {
  const { size, dark } = qrModules(opts.text);
  const total = size + 2 * QUIET_ZONE;
  const unit = opts.width / total;
  const height = opts.width + opts.captionHeight;
  const out: string[] = [];
  out.push('q', '1 g', `0 0 ${num(opts.width)} ${num(height)} re f`);
  // Module grid in integer units: row 0 is the top row of the code.
  out.push(`${num(unit)} 0 0 ${num(unit)} 0 ${num(opts.captionHeight)} cm`, '0 g');
  for (let r = 0; r < size; r++) {
    const y = total - QUIET_ZONE - r - 1;
    let c = 0;
    while (c < size) {
      if (!dark(r, c)) {
        c++;
        continue;
      }
      let e = c + 1;
      while (e < size && dark(r, e)) e++;
      out.push(`${c + QUIET_ZONE} ${y} ${e - c} 1 re`);
      c = e;
    }
  }
  // All runs in one path, filled once: no hairline seams between adjacent modules.
  out.push('f', 'Q');
  const lineGap = opts.fontSize * 1.25;
  out.push('q', '0 g', 'BT', `/${opts.fontName} ${num(opts.fontSize)} Tf`);
  opts.lines.forEach((line, i) => {
    const x = (opts.width - line.width) / 2;
    const y = opts.captionHeight - (i + 1) * lineGap + opts.fontSize * 0.2;
    for (const piece of line.pieces) out.push(`1 0 0 1 ${num(x + piece.x)} ${num(y)} Tm`, `<${piece.hex}> Tj`);
  });
  out.push('ET', 'Q');
  return out.join('\n') + '\n';
}
