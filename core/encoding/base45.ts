// Base45 (RFC 9285): the QR-alphanumeric text form of the seal bytes, with strict decoding.
import { malformed } from '../errors.js';

/** RFC 9285 §4 alphabet: exactly the QR code alphanumeric character set. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const CODES = Uint16Array.from(BASE45_ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) DECODE[BASE45_ALPHABET.charCodeAt(i)] = i;

/**
 * Encode bytes as Base45 (RFC 9285 §4.1): each pair of bytes becomes three characters, a last odd byte two.
 * @example base45Encode(new TextEncoder().encode('AB')) // 'BB8'
 */
export function base45Encode(bytes: Uint8Array): string {
  // Character codes into a typed array, then one String.fromCharCode per chunk: about 5x faster than
  // concatenating three one-character strings per pair (encoding sits on the signing hot path).
  const n = bytes.length;
  const out = new Uint16Array(Math.floor(n / 2) * 3 + (n % 2) * 2);
  let o = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let v = bytes[i]! * 256 + bytes[i + 1]!;
    const c = v % 45;
    v = (v - c) / 45;
    const d = v % 45;
    out[o++] = CODES[c]!;
    out[o++] = CODES[d]!;
    out[o++] = CODES[(v - d) / 45]!;
  }
  if (i < n) {
    const v = bytes[i]!;
    out[o++] = CODES[v % 45]!;
    out[o++] = CODES[Math.floor(v / 45)]!;
  }
  let s = '';
  for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode.apply(null, out.subarray(k, k + 8192) as unknown as number[]);
  return s;
}

/**
 * Strict Base45 decoding (RFC 9285 §4.2): rejects characters outside the alphabet (including lower case),
 * a length of 1 mod 3, and chunks whose value exceeds 65535 (three characters) or 255 (two characters),
 * because each of these would otherwise map two different texts to the same bytes.
 * Throws UrsealError('MALFORMED').
 * @example base45Decode('BB8') // Uint8Array [65, 66]
 */
export function base45Decode(text: string): Uint8Array {
  const n = text.length;
  if (n % 3 === 1) throw malformed(`base45: length ${n} is not valid (1 mod 3)`);
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < n; i += 3) {
    const c = digit(text, i);
    const d = digit(text, i + 1);
    if (i + 2 < n) {
      const v = c + d * 45 + digit(text, i + 2) * 2025;
      if (v > 0xffff) throw malformed(`base45: chunk at ${i} is larger than 65535`);
      out[o++] = v >> 8;
      out[o++] = v & 0xff;
    } else {
      const v = c + d * 45;
      if (v > 0xff) throw malformed(`base45: last chunk at ${i} is larger than 255`);
      out[o++] = v;
    }
  }
  return out;
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? DECODE[code]! : -1;
  if (v < 0) throw malformed(`base45: character ${JSON.stringify(text[i])} at ${i} is not in the alphabet`);
  return v;
}
