// The stamp drawing: a vector QR (one filled path, no seams) on white with a quiet zone, and a bilingual caption.

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

/** Left-to-right runs inside right-to-left text: Latin words and numbers, with the separators
 * between their parts (`2024/117`, `v1.2`, `ID: 42`). */
const LTR_RUN = /[A-Za-z0-9\u0660-\u0669\u06F0-\u06F9]+(?:[ .,:/\-]+[A-Za-z0-9\u0660-\u0669\u06F0-\u06F9]+)*/g;

/**
 * Split a right-to-left line into runs in visual (left-to-right drawing) order: a small part of
 * the Unicode bidi algorithm (UAX #9) for an RTL paragraph. fontkit shapes and reverses each
 * Arabic run itself, but would also reverse digits and Latin inside it; here numbers and Latin
 * runs keep their own order and the runs are laid out right to left. Neutrals between runs take
 * the paragraph direction. A line without Arabic letters is returned whole.
 *
 * @example visualRuns('رقم 2024/117 صادر') // ['صادر', ' ', '2024/117', ' ', 'رقم'] (shaped per run)
 */
export function visualRuns(text: string): string[] {
  if (!/[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/.test(text)) return [text];
  const runs: string[] = [];
  let last = 0;
  for (const m of text.matchAll(LTR_RUN)) {
    const at = m.index ?? 0;
    if (at > last) runs.push(text.slice(last, at));
    runs.push(m[0]);
    last = at + m[0].length;
  }
  if (last < text.length) runs.push(text.slice(last));
  // Leading/trailing spaces of an RTL run sit on its visual other side once the run is reversed.
  const out: string[] = [];
  for (const r of runs.reverse()) {
    const lead = /^\s*/.exec(r)![0];
    const trail = /\s*$/.exec(r)![0];
    const core = r.slice(lead.length, r.length - trail.length);
    if (trail) out.push(trail);
    if (core) out.push(core);
    if (lead) out.push(lead);
  }
  return out;
}

/** Format a number for a content stream: at most 3 decimals, no exponent, no trailing zeros. @example num(99.21259) // '99.213' */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  if (Object.is(r, -0) || r === 0) return '0';
  return String(r);
}

export interface CaptionLine {
  /** Hex string of glyph ids from the embedded font (already shaped, visual order). */
  hex: string;
  /** Width of the line at `fontSize`, in points. */
  width: number;
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
    out.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`, `<${line.hex}> Tj`);
  });
  out.push('ET', 'Q');
  return out.join('\n') + '\n';
}
