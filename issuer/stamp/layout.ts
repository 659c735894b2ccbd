// Geometry of the stamp: visible area, page rotation as exact integer matrices, corner choice, tiny pages.

/** An axis-aligned rectangle `[x0, y0, x1, y1]` with x0 <= x1, y0 <= y1. */
export type Rect = [number, number, number, number];
/** A PDF transformation matrix `[a b c d e f]`. */
export type Matrix = [number, number, number, number, number, number];
export type Corner = 'bottom-left' | 'bottom-right' | 'top-left' | 'top-right';

/** An explicit place for the stamp, as an agency's template reserves it: millimetres from the top-left corner
 * of the page as shown (after /Rotate) to the top-left corner of the stamp; `sizeMm` is the QR's width. */
export interface Place {
  xMm: number;
  yMm: number;
  sizeMm?: number;
}

/**
 * Read a place written `x,y[,size]` (millimetres; decimals allowed): null when it is not in that form. Range
 * checks (on the page, size 35-200) are the stamper's.
 * @example parsePlace('120,30,40') // { xMm: 120, yMm: 30, sizeMm: 40 }
 */
export function parsePlace(text: string): Place | null {
  const m = /^\s*(\d{1,4}(?:\.\d{1,2})?)\s*,\s*(\d{1,4}(?:\.\d{1,2})?)\s*(?:,\s*(\d{1,3}(?:\.\d{1,2})?)\s*)?$/.exec(text);
  if (!m) return null;
  return { xMm: Number(m[1]), yMm: Number(m[2]), ...(m[3] !== undefined ? { sizeMm: Number(m[3]) } : {}) };
}

/** Normalize any 4-number box (PDF allows swapped corners). @example normRect([10, 20, 0, 0]) // [0, 0, 10, 20] */
export function normRect(b: readonly number[]): Rect {
  const [a, c, d, e] = b as [number, number, number, number];
  return [Math.min(a, d), Math.min(c, e), Math.max(a, d), Math.max(c, e)];
}

/** Overlap of two rectangles, or null. @example intersect([0, 0, 10, 10], [5, 5, 20, 20]) // [5, 5, 10, 10] */
export function intersect(a: Rect, b: Rect): Rect | null {
  const r: Rect = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] < r[2] && r[1] < r[3] ? r : null;
}

/** Smallest rectangle holding both. @example union([0, 0, 1, 1], [2, 2, 3, 3]) // [0, 0, 3, 3] */
export function union(a: Rect, b: Rect): Rect {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** /Rotate reduced to 0, 90, 180 or 270 (PDF allows any multiple of 90, negative too). @example normRotation(-90) // 270 */
export function normRotation(rotate: number): 0 | 90 | 180 | 270 {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360;
  return r as 0 | 90 | 180 | 270;
}

/**
 * The map from display space (what a viewer shows after /Rotate, origin bottom-left, y up)
 * to default user space, for the visible rectangle `v`. Its linear part is an exact integer
 * rotation (never cos(90°) = 6e-17), so a QR drawn through it stays crisp.
 *
 * @example displayToUser([0, 0, 612, 792], 90) // [0, 1, -1, 0, 612, 0]
 */
export function displayToUser(v: Rect, rotation: 0 | 90 | 180 | 270): Matrix {
  const [x0, y0, x1, y1] = v;
  switch (rotation) {
    case 0:
      return [1, 0, 0, 1, x0, y0];
    case 90: // viewer turns the page clockwise: display right = user up
      return [0, 1, -1, 0, x1, y0];
    case 180:
      return [-1, 0, 0, -1, x1, y1];
    case 270: // display right = user down
      return [0, -1, 1, 0, x0, y1];
  }
}

/** Display width and height of the visible rectangle under a rotation. @example displaySize([0, 0, 612, 792], 90) // [792, 612] */
export function displaySize(v: Rect, rotation: number): [number, number] {
  const w = v[2] - v[0];
  const h = v[3] - v[1];
  return rotation === 90 || rotation === 270 ? [h, w] : [w, h];
}

/** `m` then translate by (tx, ty) first: the matrix of `p -> m(p + t)`. @example translateThen([1, 0, 0, 1, 5, 5], 1, 2) // [1, 0, 0, 1, 6, 7] */
export function translateThen(m: Matrix, tx: number, ty: number): Matrix {
  const [a, b, c, d, e, f] = m;
  return [a, b, c, d, e + a * tx + c * ty, f + b * tx + d * ty];
}

/** Apply a PDF matrix to a point. @example applyMatrix([0, 1, -1, 0, 612, 0], 10, 0) // [612, 10] */
export function applyMatrix(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** User-space bounding rectangle of the box `[x0, y0, x1, y1]` drawn through `m`. @example rectInUser([2, 0, 0, 2, 0, 0], 0, 0, 1, 1) // [0, 0, 2, 2] */
export function rectInUser(m: Matrix, x0: number, y0: number, x1: number, y1: number): Rect {
  const pts = [applyMatrix(m, x0, y0), applyMatrix(m, x1, y0), applyMatrix(m, x0, y1), applyMatrix(m, x1, y1)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** User-space bounding rectangle of the box `[0, 0, w, h]` drawn through `m`. @example boxInUser([1, 0, 0, 1, 5, 5], 10, 10) // [5, 5, 15, 15] */
export function boxInUser(m: Matrix, w: number, h: number): Rect {
  return rectInUser(m, 0, 0, w, h);
}

/** `m1` then `m2` (row vectors, as PDF composes matrices: ISO 32000-1 §8.3.4). */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a, b, c, d, e, f] = m1;
  const [A, B, C, D, E, F] = m2;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

/** The inverse of an invertible PDF matrix. @example invertMatrix([0, 1, -1, 0, 612, 0]) // [0, -1, 1, 0, 0, 612] */
export function invertMatrix(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  const r = [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
  return r.map((v) => (Object.is(v, -0) ? 0 : v)) as Matrix;
}

/** Preferred corner first, then the other corner on the same edge, then the opposite edge.
 * @example cornerOrder('bottom-left') // ['bottom-left', 'bottom-right', 'top-left', 'top-right'] */
export function cornerOrder(first: Corner): Corner[] {
  const [v, h] = first.split('-') as ['bottom' | 'top', 'left' | 'right'];
  const ov = v === 'bottom' ? 'top' : 'bottom';
  const oh = h === 'left' ? 'right' : 'left';
  return [first, `${v}-${oh}`, `${ov}-${h}`, `${ov}-${oh}`] as Corner[];
}

/** Largest margin (points) between the stamp and the edges of the visible area. */
export const MAX_MARGIN = 24;
/** Margin kept around the stamp when a page has to be enlarged to hold it. */
export const GROW_MARGIN = 12;

/**
 * Where the stamp box (w × h, upright for the reader) goes on a page with visible rectangle `v`.
 * Returns the matrix that draws the box, or null when the visible area is too small for it.
 *
 * @example placeBox([0, 0, 612, 792], 0, 99, 118, 'bottom-left') // [1, 0, 0, 1, 24, 24]
 */
export function placeBox(v: Rect, rotation: 0 | 90 | 180 | 270, w: number, h: number, corner: Corner): Matrix | null {
  const [dw, dh] = displaySize(v, rotation);
  if (dw < w || dh < h) return null;
  const margin = Math.max(0, Math.min(MAX_MARGIN, (dw - w) / 2, (dh - h) / 2));
  const x = corner.endsWith('left') ? margin : dw - margin - w;
  const y = corner.startsWith('bottom') ? margin : dh - margin - h;
  return translateThen(displayToUser(v, rotation), round3(x), round3(y));
}

/**
 * Page-size policy for pages smaller than the stamp: the visible area is grown on the
 * display side of the chosen corner (below for bottom corners, above for top ones, and to the
 * right when too narrow) so the stamp sits in a strip beside the untouched original content.
 * Returns the grown visible rectangle in user space.
 *
 * @example grownVisibleRect([0, 0, 200, 50], 0, 99, 118, 'bottom-left') // [0, -142, 200, 50]
 */
export function grownVisibleRect(v: Rect, rotation: 0 | 90 | 180 | 270, w: number, h: number, corner: Corner): Rect {
  const [dw, dh] = displaySize(v, rotation);
  const needW = w + 2 * GROW_MARGIN;
  const needH = h + 2 * GROW_MARGIN;
  const x0 = 0;
  const x1 = Math.max(dw, needW);
  let y0 = 0;
  let y1 = dh;
  if (dh < h) {
    if (corner.startsWith('bottom')) y0 = -needH;
    else y1 = dh + needH;
  }
  const m = displayToUser(v, rotation);
  const a = applyMatrix(m, x0, y0);
  const b = applyMatrix(m, x1, y1);
  return normRect([a[0], a[1], b[0], b[1]]).map(round3) as Rect;
}

/** Round to 1/1000 pt: exact enough for placement, and keeps the serialized numbers short. @example round3(1 / 3) // 0.333 */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
