// Finding a blank spot for the stamp in display space: corners, then along the margins, then anywhere on the page.
import {
  cornerOrder,
  displaySize,
  displayToUser,
  invertMatrix,
  MAX_MARGIN,
  rectInUser,
  round3,
  translateThen,
  type Corner,
  type Matrix,
  type Rect,
} from './layout.js';

/** How a stamp's place was found (reported per page by the stamper). */
export type PlaceMethod = 'corner' | 'margin' | 'grid';

/** A free spot: the matrix drawing the stamp box, and the box's lower-left corner in display space (points). */
export interface Spot {
  m: Matrix;
  method: PlaceMethod;
  corner?: Corner;
  x: number;
  y: number;
}

/** Clearance (points) kept between the stamp and anything the page shows: about 1.4 mm. */
export const CLEARANCE = 4;
/** Smallest distance from the page edge in the grid scan (5 mm: what printers leave unprinted). */
const MIN_EDGE = 14.17;
/** Largest number of cells of the occupancy map (the cell grows on huge pages). */
const MAX_CELLS = 600_000;

/**
 * Occupancy of the page in display space, on a grid of `cell`-point squares, with a summed-area table so that
 * "is this box free?" costs four lookups whatever the number of rectangles.
 */
class Occupancy {
  readonly cols: number;
  readonly rows: number;
  private readonly sums: Int32Array;
  constructor(
    readonly dw: number,
    readonly dh: number,
    readonly cell: number,
    taken: Rect[],
  ) {
    this.cols = Math.max(1, Math.ceil(dw / cell));
    this.rows = Math.max(1, Math.ceil(dh / cell));
    const W = this.cols + 1;
    // Per row, +1 where a rectangle starts and -1 where it ends; then one pass: running coverage along the row,
    // taken cells counted along the row, and the summed-area table from the row above.
    const diff = new Int32Array(this.rows * W);
    for (const r of taken) {
      const x0 = Math.max(0, Math.floor(r[0] / cell));
      const y0 = Math.max(0, Math.floor(r[1] / cell));
      const x1 = Math.min(this.cols, Math.ceil(r[2] / cell));
      const y1 = Math.min(this.rows, Math.ceil(r[3] / cell));
      if (x0 >= x1 || y0 >= y1) continue;
      for (let y = y0; y < y1; y++) {
        diff[y * W + x0]! += 1;
        diff[y * W + x1]! -= 1;
      }
    }
    // sums[(y + 1) * W + (x + 1)] = number of taken cells in [0..x] × [0..y]
    const sums = new Int32Array(W * (this.rows + 1));
    for (let y = 0; y < this.rows; y++) {
      const d = y * W;
      const above = y * W;
      const here = (y + 1) * W;
      let run = 0;
      let rowTaken = 0;
      for (let x = 0; x < this.cols; x++) {
        run += diff[d + x]!;
        if (run > 0) rowTaken++;
        sums[here + x + 1] = sums[above + x + 1]! + rowTaken;
      }
    }
    this.sums = sums;
  }
  /** Whether the box [x, x + w] × [y, y + h] (display points) touches no taken cell. */
  free(x: number, y: number, w: number, h: number): boolean {
    const W = this.cols + 1;
    const x0 = Math.max(0, Math.floor(x / this.cell));
    const y0 = Math.max(0, Math.floor(y / this.cell));
    const x1 = Math.min(this.cols, Math.ceil((x + w) / this.cell));
    const y1 = Math.min(this.rows, Math.ceil((y + h) / this.cell));
    const s = this.sums;
    return s[y1 * W + x1]! - s[y0 * W + x1]! - s[y1 * W + x0]! + s[y0 * W + x0]! === 0;
  }
}

/**
 * The first blank spot for a `w` × `h` box (display space, upright for the reader) on a page with visible
 * rectangle `v` and rotation `rotation`, avoiding every rectangle of `taken` (user space) by CLEARANCE:
 * 1. the four corners in `cornerOrder(corner)`, at the usual margin (as placeBox);
 * 2. sliding along the margins: the preferred corner's edge (bottom or top) from its side, the opposite edge,
 *    then the two sides, from the preferred end;
 * 3. a scan of the whole page, rows from the preferred edge, columns from the preferred side.
 * Null when no spot is free (the caller then follows the seal-page policy).
 *
 * @example findSpot([0, 0, 595, 842], 0, 99, 130, 'bottom-left', [[40, 50, 300, 70]])?.method // 'corner' (bottom-right)
 */
export function findSpot(v: Rect, rotation: 0 | 90 | 180 | 270, w: number, h: number, corner: Corner, taken: Rect[]): Spot | null {
  const [dw, dh] = displaySize(v, rotation);
  if (dw < w || dh < h) return null;
  const toUser = displayToUser(v, rotation);
  const toDisplay = invertMatrix(toUser);
  const cell = Math.max(3, Math.sqrt((dw * dh) / MAX_CELLS));
  const display = taken.map((r) => {
    const d = rectInUser(toDisplay, r[0], r[1], r[2], r[3]);
    return [d[0] - CLEARANCE, d[1] - CLEARANCE, d[2] + CLEARANCE, d[3] + CLEARANCE] as Rect;
  });
  const margin = Math.max(0, Math.min(MAX_MARGIN, (dw - w) / 2, (dh - h) / 2));
  const make = (x: number, y: number, method: PlaceMethod, c?: Corner): Spot => ({
    m: translateThen(toUser, x, y),
    method,
    x,
    y,
    ...(c ? { corner: c } : {}),
  });
  const xLeft = margin;
  const xRight = dw - margin - w;
  const yBottom = margin;
  const yTop = dh - margin - h;
  // Corners first, checked against the rectangles directly: most pages have a free corner, and this costs
  // less than building the occupancy map.
  for (const c of cornerOrder(corner)) {
    const x = round3(c.endsWith('left') ? xLeft : xRight);
    const y = round3(c.startsWith('bottom') ? yBottom : yTop);
    if (!display.some((r) => r[0] < x + w && r[2] > x && r[1] < y + h && r[3] > y)) return make(x, y, 'corner', c);
  }
  const occ = new Occupancy(dw, dh, cell, display);
  const spot = (x: number, y: number, method: PlaceMethod): Spot | null => {
    const rx = round3(x);
    const ry = round3(y);
    return occ.free(rx, ry, w, h) ? make(rx, ry, method) : null;
  };
  const bottomFirst = corner.startsWith('bottom');
  const leftFirst = corner.endsWith('left');
  const steps = (from: number, to: number): number[] => {
    const out: number[] = [];
    const n = Math.max(1, Math.ceil(Math.abs(to - from) / cell));
    for (let i = 0; i <= n; i++) out.push(from + ((to - from) * i) / n);
    return out;
  };
  const alongX = leftFirst ? steps(xLeft, xRight) : steps(xRight, xLeft);
  const alongY = bottomFirst ? steps(yBottom, yTop) : steps(yTop, yBottom);
  for (const y of bottomFirst ? [yBottom, yTop] : [yTop, yBottom]) {
    for (const x of alongX) {
      const s = spot(x, y, 'margin');
      if (s) return s;
    }
  }
  for (const x of leftFirst ? [xLeft, xRight] : [xRight, xLeft]) {
    for (const y of alongY) {
      const s = spot(x, y, 'margin');
      if (s) return s;
    }
  }
  const edge = Math.max(0, Math.min(MIN_EDGE, margin));
  const gx = leftFirst ? steps(edge, dw - edge - w) : steps(dw - edge - w, edge);
  const gy = bottomFirst ? steps(edge, dh - edge - h) : steps(dh - edge - h, edge);
  for (const y of gy) {
    for (const x of gx) {
      const s = spot(x, y, 'grid');
      if (s) return s;
    }
  }
  return null;
}
