// The stamp's QR size rule: sized by module (≥ 0.5 mm per module, 4-module quiet zone), not by total width.

import QRCode from 'qrcode';
import { QUIET_ZONE } from './graphic.js';

/**
 * Smallest module the stamper draws, in millimetres: 2 px per module at 100 dpi, 5 px at 254 dpi. Measured
 * (test/bench/qr-print.ts, README "QR size"): below it, 100 dpi scans of stamped pages stop reading.
 */
export const MIN_MODULE_MM = 0.5;

/** Module size used when the caller gives no size (mm). See README "QR size" for the measurements behind it. */
export const DEFAULT_MODULE_MM = 0.6;

/** Largest QR square the stamper draws (mm, quiet zone included). */
export const MAX_QR_SIZE_MM = 200;

const sizes = new Map<string, number>();

/**
 * Modules per side of the stamp's QR for `sealText` (alphanumeric mode, error correction M, the smallest
 * version that holds it: exactly the symbol graphic.ts draws), quiet zone not included.
 *
 * @example qrModuleCount(sealText) // 69 for a typical 466-character seal (version 13)
 */
export function qrModuleCount(sealText: string): number {
  let n = sizes.get(sealText);
  if (n === undefined) {
    n = QRCode.create([{ data: sealText, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' }).modules.size;
    if (sizes.size > 64) sizes.clear();
    sizes.set(sealText, n);
  }
  return n;
}

/**
 * Width of the stamp's QR square (mm, quiet zone included) for `sealText` at `moduleMm` per module:
 * (modules + 2 × 4) × moduleMm, rounded up to 0.01 mm.
 *
 * @example qrSizeMm(sealText) // 38.5 for a version-13 seal: (69 + 8) × 0.5 mm
 */
export function qrSizeMm(sealText: string, moduleMm: number = DEFAULT_MODULE_MM): number {
  return Math.ceil((qrModuleCount(sealText) + 2 * QUIET_ZONE) * moduleMm * 100 - 1e-6) / 100;
}

/**
 * The smallest `sizeMm` the stamper accepts for `sealText`: {@link MIN_MODULE_MM} per module.
 * The placement code uses it to check a requested size before stamping.
 *
 * @example if (requested < minQrSizeMm(sealText)) refuse()
 */
export function minQrSizeMm(sealText: string): number {
  return qrSizeMm(sealText, MIN_MODULE_MM);
}
