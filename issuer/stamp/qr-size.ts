// The stamp's QR size rule: sized by module (≥ 0.5 mm per module, 4-module quiet zone), not by total width.

import QRCode from 'qrcode';
import { DEFAULT_MODULE_MM, MIN_MODULE_MM } from '../qr/render.js';
import { QUIET_ZONE } from './graphic.js';

// The module rule is shared with the QR-only images (issuer/qr/render.ts): one place for the measured numbers.
export { DEFAULT_MODULE_MM, MIN_MODULE_MM };

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
 * @example qrSizeMm(sealText) // 46.2 for a version-13 seal: (69 + 8) × 0.6 mm
 */
export function qrSizeMm(sealText: string, moduleMm: number = DEFAULT_MODULE_MM): number {
  if (!(moduleMm > 0 && moduleMm <= 10)) throw new RangeError('moduleMm must be from 0 to 10 millimetres');
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
