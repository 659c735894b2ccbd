// Byte-level reading of a stamped PDF: find the last /URSeal dictionary and rebuild its closing-signature message.
// Browser-safe: Uint8Array only, no PDF library, no node: imports; SHA-256 is injected by the caller.

import { UrsealError, malformed } from '../errors.js';
import {
  BYTE_RANGE_DIGITS,
  MAX_PDF_SEAL_TEXT,
  PDF_CLOSE_PREFIX,
  SEAL_DICT_CONTENTS,
  SEAL_DICT_HEAD,
  SEAL_DICT_RANGE,
  SEAL_DICT_TAIL,
  SEAL_TEXT_PATTERN,
  SIGNATURE_HEX_LENGTH,
} from './format.js';

export {
  BYTE_RANGE_DIGITS,
  CATALOG_KEY,
  MAX_PDF_SEAL_TEXT,
  PDF_CLOSE_PREFIX,
  SEAL_DICT_HEAD,
  SEAL_TEXT_PATTERN,
  SIGNATURE_HEX_LENGTH,
  formatRangeNumber,
  sealDictText,
} from './format.js';

/** `[0, a, b, c]`: the signature covers `file[0:a]` and `file[b:b+c]`; `file[a:b]` is `<hex>`. */
export type ByteRange = [number, number, number, number];

/** What a stamped PDF carries at its end. */
export interface PdfSeal {
  /** The QR text (`UR1:` + Base45), as stored in the /Seal string. */
  sealText: string;
  byteRange: ByteRange;
  /** The 64-byte closing signature from /Contents. */
  signature: Uint8Array;
  /** `b + c`: the file length the closing signature was made for. */
  coveredLength: number;
}

/** Why a byte range does not close this file (see {@link closingRangeStatus}). */
export type ClosingRangeStatus = 'OK' | 'FILE_EXTENDED' | 'FILE_TRUNCATED' | 'BAD_RANGE' | 'BAD_PLACEHOLDER';

const enc = new TextEncoder();
const HEAD = enc.encode(SEAL_DICT_HEAD);
const RANGE = enc.encode(SEAL_DICT_RANGE);
const CONTENTS = enc.encode(SEAL_DICT_CONTENTS);
const TAIL = enc.encode(SEAL_DICT_TAIL);
/** `<` + hex + `>`: the part of the file the closing signature leaves out. */
const PLACEHOLDER_LENGTH = SIGNATURE_HEX_LENGTH + 2;

function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]!;
  for (let i = hay.length - needle.length; i >= 0; i--) {
    if (hay[i] !== first) continue;
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function matchAt(hay: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > hay.length) return false;
  for (let j = 0; j < needle.length; j++) if (hay[at + j] !== needle[j]) return false;
  return true;
}

/** Lower-case hex only: the stamper writes lower case, and accepting 'A' for 'a' would let a
 * file change (in the unsigned placeholder) without the closing signature noticing. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Find the last /URSeal dictionary in a PDF and parse it strictly.
 * Returns null when the file holds none (not stamped, or the stamp update was cut off);
 * throws `UrsealError` (`MALFORMED`) when one is there but does not have the exact layout.
 *
 * @example
 * const seal = extractPdfSeal(bytes);
 * if (seal) console.log(seal.sealText.slice(0, 4), seal.byteRange); // 'UR1:' [0, a, b, c]
 */
export function extractPdfSeal(file: Uint8Array): PdfSeal | null {
  const start = lastIndexOf(file, HEAD);
  if (start < 0) return null;
  let p = start + HEAD.length;

  // /Seal (text): Base45 never contains ')' or '\', so the string ends at the first ')'.
  const textStart = p;
  while (p < file.length && file[p] !== 0x29 && p - textStart <= MAX_PDF_SEAL_TEXT) p++;
  if (p >= file.length || file[p] !== 0x29) throw malformed('pdf: /Seal string is unterminated or too long');
  let sealText = '';
  for (let i = textStart; i < p; i++) sealText += String.fromCharCode(file[i]!);
  if (!SEAL_TEXT_PATTERN.test(sealText)) throw malformed('pdf: /Seal is not a UR1 seal text');

  if (!matchAt(file, p, RANGE)) throw malformed('pdf: /ByteRange missing after /Seal');
  p += RANGE.length;
  const nums: number[] = [];
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (file[p] !== 0x20) throw malformed('pdf: /ByteRange numbers must be separated by one space');
      p++;
    }
    let n = 0;
    for (let d = 0; d < BYTE_RANGE_DIGITS; d++) {
      const c = file[p + d];
      if (c === undefined || c < 0x30 || c > 0x39) throw malformed('pdf: /ByteRange number is not fixed-width digits');
      n = n * 10 + (c - 0x30);
    }
    p += BYTE_RANGE_DIGITS;
    nums.push(n);
  }
  if (!matchAt(file, p, CONTENTS)) throw malformed('pdf: /Contents missing after /ByteRange');
  p += CONTENTS.length;
  const placeholderStart = p - 1; // the '<'
  const signature = new Uint8Array(SIGNATURE_HEX_LENGTH / 2);
  for (let i = 0; i < signature.length; i++) {
    const hi = hexValue(file[p + 2 * i] ?? 0);
    const lo = hexValue(file[p + 2 * i + 1] ?? 0);
    if (hi < 0 || lo < 0) throw malformed('pdf: /Contents is not 128 lower-case hex digits');
    signature[i] = (hi << 4) | lo;
  }
  p += SIGNATURE_HEX_LENGTH;
  if (!matchAt(file, p, TAIL)) throw malformed('pdf: seal dictionary does not end after /Contents');

  const byteRange: ByteRange = [nums[0]!, nums[1]!, nums[2]!, nums[3]!];
  // The range must exclude exactly this dictionary's placeholder: a range pointing elsewhere
  // would let the signature cover bytes that are not the ones shown here.
  if (byteRange[0] !== 0 || byteRange[1] !== placeholderStart || byteRange[2] !== placeholderStart + PLACEHOLDER_LENGTH) {
    throw malformed('pdf: /ByteRange does not surround this /Contents placeholder');
  }
  return { sealText, byteRange, signature, coveredLength: byteRange[2] + byteRange[3] };
}

/**
 * Whether `byteRange` closes `file`: it starts at 0, its gap is exactly `<` + 128 hex + `>`,
 * and it ends exactly at the end of the file (`FILE_EXTENDED` means bytes were appended after
 * stamping: an incremental update or even one comment; `FILE_TRUNCATED` means bytes were cut).
 *
 * @example closingRangeStatus(bytes, seal.byteRange) // 'OK'
 */
export function closingRangeStatus(file: Uint8Array, byteRange: readonly number[]): ClosingRangeStatus {
  if (byteRange.length !== 4 || !byteRange.every((n) => Number.isSafeInteger(n) && n >= 0)) return 'BAD_RANGE';
  const [z, a, b, c] = byteRange as ByteRange;
  if (z !== 0 || b - a !== PLACEHOLDER_LENGTH) return 'BAD_RANGE';
  if (b + c > file.length) return 'FILE_TRUNCATED';
  if (file[a] !== 0x3c || file[b - 1] !== 0x3e) return 'BAD_PLACEHOLDER';
  for (let i = a + 1; i < b - 1; i++) if (hexValue(file[i]!) < 0) return 'BAD_PLACEHOLDER';
  if (b + c < file.length) return 'FILE_EXTENDED';
  return 'OK';
}

function messageFromDigest(digest: Uint8Array): Uint8Array {
  const prefix = enc.encode(PDF_CLOSE_PREFIX);
  const out = new Uint8Array(prefix.length + 1 + digest.length);
  out.set(prefix, 0);
  out[prefix.length] = 0;
  out.set(digest, prefix.length + 1);
  return out;
}

function coveredBytes(file: Uint8Array, byteRange: readonly number[]): Uint8Array {
  const status = closingRangeStatus(file, byteRange);
  if (status !== 'OK') {
    throw new UrsealError('MALFORMED', `pdf: closing byte range does not close this file (${status})`);
  }
  const [, a, b, c] = byteRange as ByteRange;
  const covered = new Uint8Array(a + c);
  covered.set(file.subarray(0, a), 0);
  covered.set(file.subarray(b, b + c), a);
  return covered;
}

/**
 * The exact message the closing signature signs:
 * `utf8("urseal-pdf-close-v1") || 0x00 || SHA-256(file[0:a] || file[b:b+c])`.
 * Throws `UrsealError` (`MALFORMED`, reason naming the {@link closingRangeStatus}) when the range
 * does not close this file, e.g. when anything was appended after stamping.
 *
 * @example
 * const msg = closingMessage(bytes, seal.byteRange, (b) => new Uint8Array(createHash('sha256').update(b).digest()));
 * const ok = verifyEd25519(agencyKey, msg, seal.signature);
 */
export function closingMessage(file: Uint8Array, byteRange: readonly number[], sha256: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  return messageFromDigest(sha256(coveredBytes(file, byteRange)));
}

/**
 * {@link closingMessage} with an async hash (e.g. WebCrypto `crypto.subtle.digest`).
 *
 * @example
 * const msg = await closingMessageAsync(bytes, seal.byteRange, async (b) => new Uint8Array(await crypto.subtle.digest('SHA-256', b)));
 */
export async function closingMessageAsync(
  file: Uint8Array,
  byteRange: readonly number[],
  sha256: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  return messageFromDigest(await sha256(coveredBytes(file, byteRange)));
}
