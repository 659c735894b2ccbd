// Base45 (RFC 9285): the QR-alphanumeric text form of the seal bytes, with strict decoding.
import { malformed } from '../errors.js';

/** RFC 9285 §4 alphabet: exactly the QR code alphanumeric character set. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const CODES = Uint8Array.from(BASE45_ALPHABET, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder('latin1');
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) DECODE[BASE45_ALPHABET.charCodeAt(i)] = i;

/**
 * Encode bytes as Base45 (RFC 9285 §4.1): each pair of bytes becomes three characters, a last odd byte two.
 * @example base45Encode(new TextEncoder().encode('AB')) // 'BB8'
 */
export function base45Encode(bytes: Uint8Array): string {
  // Character codes into bytes, then one latin1 decode (all Base45 characters are ASCII): about 2x faster than
  // building the string from char codes, and encoding sits on the signing hot path.
  const n = bytes.length;
  const out = new Uint8Array(Math.floor(n / 2) * 3 + (n % 2) * 2);
  let o = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    const q = (v / 45) | 0;
    const e = (q / 45) | 0;
    out[o++] = CODES[v - q * 45]!;
    out[o++] = CODES[q - e * 45]!;
    out[o++] = CODES[e]!;
  }
  if (i < n) {
    const v = bytes[i]!;
    const q = (v / 45) | 0;
    out[o++] = CODES[v - q * 45]!;
    out[o++] = CODES[q]!;
  }
  return ASCII.decode(out);
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
