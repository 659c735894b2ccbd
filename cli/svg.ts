// Reading the QR of an SVG that `urseal seal --qr x.svg` (or the issuer's ?qr=svg) drew: a viewBox in module units and
// dark modules as axis-aligned rectangles (one path of `M x y H x2 V y2 H x Z` runs, or <rect> elements), rasterised
// at a whole number of pixels per module for the QR reader. Other SVGs are not drawings of ours: the caller says so.

/** Largest SVG read (a version 40 code as drawn by qrSvg is about 150 KB). */
export const MAX_SVG_BYTES = 2 * 1024 * 1024;
/** Largest viewBox side in units (modules): version 40 is 177 modules plus the quiet zone. */
const MAX_UNITS = 400;
const PX_PER_UNIT = 4;

/** A rasterised SVG: RGBA pixels, 4 bytes each, row-major. */
export interface SvgRaster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Does this text start like an SVG document (after an optional BOM, XML declaration and comments)? */
export function looksLikeSvg(head: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(head);
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

/** A dark fill: black as #000, #000000, black or rgb(0,0,0); absent means black (SVG's default fill). */
function isDark(fill: string | undefined): boolean {
  if (fill === undefined) return true;
  const f = fill.trim().toLowerCase().replace(/\s+/g, '');
  return f === '#000' || f === '#000000' || f === 'black' || f === 'rgb(0,0,0)';
}

type Rect = [x0: number, y0: number, x1: number, y1: number];

/** The rectangles of a path made only of closed `M x y H x V y H x Z` runs; undefined for any other path. */
function pathRects(d: string): Rect[] | undefined {
  const tokens = d.match(/[MHVZmhvz]|-?\d*\.?\d+(?:e[-+]?\d+)?/g);
  if (!tokens || tokens.join('').length === 0) return undefined;
  const rects: Rect[] = [];
  let i = 0;
  const num = (): number | undefined => {
    const t = tokens[i++];
    const n = t === undefined ? NaN : Number(t);
    return Number.isFinite(n) ? n : undefined;
  };
  while (i < tokens.length) {
    if (tokens[i++] !== 'M') return undefined;
    const x = num();
    const y = num();
    if (x === undefined || y === undefined) return undefined;
    let cx = x;
    let cy = y;
    const xs = [x];
    const ys = [y];
    for (;;) {
      const c = tokens[i++];
      if (c === 'Z') break;
      const n = num();
      if (n === undefined) return undefined;
      if (c === 'H') cx = n;
      else if (c === 'V') cy = n;
      else return undefined;
      xs.push(cx);
      ys.push(cy);
      if (xs.length > 5) return undefined;
    }
    // Only H and V moves, at most four, closed: an axis-aligned rectangle, its corners the extremes.
    rects.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
  }
  return rects;
}

/**
 * Rasterise an SVG QR drawing (see the file header); undefined when the SVG is not such a drawing (curves,
 * transforms, text, no viewBox, too large).
 * @example const r = rasteriseQrSvg(svgText); if (r) texts = await readQrCodesFromRgba(r.data, r.width, r.height);
 */
export function rasteriseQrSvg(svg: string): SvgRaster | undefined {
  if (svg.length > MAX_SVG_BYTES) return undefined;
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root || /\btransform\s*=/.test(svg)) return undefined;
  const vb = attr(root, 'viewBox')
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (!vb || vb.length !== 4 || !vb.every(Number.isFinite)) return undefined;
  const [vx, vy, vw, vh] = vb as [number, number, number, number];
  if (!(vw > 0 && vh > 0 && vw <= MAX_UNITS && vh <= MAX_UNITS)) return undefined;
  const rects: Rect[] = [];
  for (const m of svg.matchAll(/<(path|rect)\b[^>]*>/gi)) {
    const tag = m[0];
    const dark = isDark(attr(tag, 'fill'));
    if (m[1]!.toLowerCase() === 'path') {
      const r = pathRects(attr(tag, 'd') ?? '');
      if (!r) return undefined;
      if (dark) rects.push(...r);
    } else if (dark) {
      const x = Number(attr(tag, 'x') ?? 0);
      const y = Number(attr(tag, 'y') ?? 0);
      const w = Number(attr(tag, 'width'));
      const h = Number(attr(tag, 'height'));
      if (![x, y, w, h].every(Number.isFinite)) return undefined;
      rects.push([x, y, x + w, y + h]);
    }
  }
  if (rects.length === 0) return undefined;
  const width = Math.ceil(vw * PX_PER_UNIT);
  const height = Math.ceil(vh * PX_PER_UNIT);
  const data = new Uint8Array(width * height * 4).fill(255);
  for (const [x0, y0, x1, y1] of rects) {
    const px0 = Math.max(0, Math.round((x0 - vx) * PX_PER_UNIT));
    const px1 = Math.min(width, Math.round((x1 - vx) * PX_PER_UNIT));
    const py0 = Math.max(0, Math.round((y0 - vy) * PX_PER_UNIT));
    const py1 = Math.min(height, Math.round((y1 - vy) * PX_PER_UNIT));
    for (let y = py0; y < py1; y++) {
      const row = y * width * 4;
      for (let x = px0; x < px1; x++) {
        const o = row + x * 4;
        data[o] = 0;
        data[o + 1] = 0;
        data[o + 2] = 0;
      }
    }
  }
  return { data, width, height };
}
