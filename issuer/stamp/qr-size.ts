// The stamp's QR size rule: sized by module (≥ 0.5 mm per module, 4-module quiet zone), not by total width.

import { DEFAULT_MODULE_MM, MIN_MODULE_MM } from '../qr/render.js';
import { QUIET_ZONE } from './graphic.js';

// The module rule is shared with the QR-only images (issuer/qr/render.ts): one place for the measured numbers.
export { DEFAULT_MODULE_MM, MIN_MODULE_MM };

/** Largest QR square the stamper draws (mm, quiet zone included). */
export const MAX_QR_SIZE_MM = 200;

/**
 * Alphanumeric characters a symbol holds at error correction M, versions 1 to 40 (ISO/IEC 18004:2015 Table 7;
 * the same as qrcode's `getCapacity`, and test/issuer/stamp/qr-size.test.ts compares with the symbols it builds).
 * Looked up instead of building a symbol: that costs about 3 ms, more than the rest of a stamp.
 */
const ALPHANUMERIC_M = [
  20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970, 1035, 1134, 1248, 1326, 1451, 1542, 1637,
  1732, 1839, 1994, 2113, 2238, 2369, 2506, 2632, 2780, 2894, 3054, 3220, 3391,
];

/** Longest text the stamp's QR holds (version 40, level M, alphanumeric). */
export const MAX_QR_TEXT = 3391;

/**
 * Modules per side of the stamp's QR for `sealText` (one alphanumeric segment, error correction M, the smallest
 * version that holds it: exactly the symbol graphic.ts draws), quiet zone not included. RangeError when the text
 * does not fit a QR code at level M (checkOptions refuses such texts first).
 *
 * @example qrModuleCount(sealText) // 69 for a typical 466-character seal (version 13)
 */
export function qrModuleCount(sealText: string): number {
  const version = ALPHANUMERIC_M.findIndex((capacity) => sealText.length <= capacity) + 1;
  if (version === 0) throw new RangeError(`a ${sealText.length}-character text does not fit a QR code at level M`);
  return 17 + 4 * version;
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
