// Constants shared by inflate and deflate: DEFLATE length/distance tables (RFC 1951) and Adler-32 (RFC 1950).

/** Base match length of length symbols 257..285 (RFC 1951 §3.2.5). */
export const LENGTH_BASE = Uint16Array.of(
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
);
/** Extra bits of length symbols 257..285 (RFC 1951 §3.2.5). */
export const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
/** Base distance of distance symbols 0..29 (RFC 1951 §3.2.5). */
export const DIST_BASE = Uint16Array.of(
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
);
/** Extra bits of distance symbols 0..29 (RFC 1951 §3.2.5). */
export const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
/** Order in which code-length code lengths are sent in a dynamic block header (RFC 1951 §3.2.7). */
export const CODE_LENGTH_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** Code lengths of the fixed literal/length code, all 288 symbols (RFC 1951 §3.2.6). */
export function fixedLiteralLengths(): Uint8Array {
  const lens = new Uint8Array(288);
  lens.fill(8, 0, 144);
  lens.fill(9, 144, 256);
  lens.fill(7, 256, 280);
  lens.fill(8, 280, 288);
  return lens;
}

/** Largest number of bytes whose Adler-32 sums cannot overflow before the modulo (zlib's NMAX). */
const ADLER_NMAX = 5552;
const ADLER_MOD = 65521;

/**
 * Adler-32 of `data[start..end)` (RFC 1950 §8.2), as an unsigned 32-bit number.
 *
 * @example adler32(new TextEncoder().encode('Wikipedia')) // 0x11e60398
 */
export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1;
  let b = 0;
  let i = start;
  while (i < end) {
    const stop = Math.min(i + ADLER_NMAX, end);
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}
