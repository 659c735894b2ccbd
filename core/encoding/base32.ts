// Base32 (RFC 4648 §6, upper case, no padding) for the link form, which must survive inside a URL.
import { malformed } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Encode bytes as RFC 4648 Base32 without '=' padding (the length is implied).
 * @example base32Encode(new TextEncoder().encode('foobar')) // 'MZXW6YTBOI'
 */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31]!;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]!;
  return out;
}

/**
 * Strict decoding: upper-case alphabet only, no padding, a length that a real encoding can have
 * (not 1, 3 or 6 mod 8), and unused trailing bits zero, so each byte string has exactly one text.
 * Throws UrsealError('MALFORMED').
 * @example base32Decode('MZXW6YTBOI') // bytes of 'foobar'
 */
export function base32Decode(text: string): Uint8Array {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) throw malformed(`base32: length ${text.length} is not valid`);
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) throw malformed(`base32: character ${JSON.stringify(text[i])} at ${i} is not in the alphabet`);
    buffer = ((buffer << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) throw malformed('base32: non-zero padding bits');
  return out;
}
