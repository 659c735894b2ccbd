// Reading the seal's text forms: "UR1:" + Base45(zlib?(COSE)) and the "#UR1B:" + Base32 link form.
import { base32Decode } from '../encoding/base32.js';
import { base45DecodedLength, base45DecodeInto } from '../encoding/base45.js';
import { malformed, UrsealError } from '../errors.js';
import { inflate, inflateView } from '../zlib/inflate.js';

export const SEAL_PREFIX = 'UR1:';
export const LINK_MARKER = '#UR1B:';

/** Longest seal text accepted: the alphanumeric capacity of the largest QR code (version 40-L). */
export const MAX_SEAL_TEXT_LENGTH = 4296;
/** Largest COSE message a seal may inflate to: far above any real seal, far below anything harmful. */
export const MAX_SEAL_COSE_BYTES = 16 * 1024;

const isBreak = (c: number) => c === 10 || c === 13 || c === 9;

/** Strip line breaks and tabs at both ends (a scanner's Enter); spaces are kept: they are Base45. */
function trimBreaks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBreak(s.charCodeAt(a))) a++;
  while (b > a && isBreak(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Inverse of packSealBytes (seal/pack.ts), bounded: inflates iff the first byte is 0x78. Returns new bytes. */
export function unpackSealBytes(bytes: Uint8Array): Uint8Array {
  return unpack(bytes, false);
}

/** unpackSealBytes; with `transient`, the result may be `bytes` itself or a view of inflate's reused buffer. */
function unpack(bytes: Uint8Array, transient: boolean): Uint8Array {
  if (bytes.length === 0) throw malformed('seal: no bytes');
  if (bytes[0] === 0x78) return transient ? inflateView(bytes, MAX_SEAL_COSE_BYTES) : inflate(bytes, MAX_SEAL_COSE_BYTES);
  return transient ? bytes : bytes.slice();
}

/**
 * Reused for the packed bytes of every seal read: they live only until inflated or copied, and a fresh
 * Uint8Array over 64 bytes costs about 0.7 µs in V8 (its memory is outside the JavaScript heap).
 */
const PACKED_SCRATCH = new Uint8Array(base45DecodedLength(MAX_SEAL_TEXT_LENGTH));

/** sealTextToPacked's work; a Base45 seal's bytes come back as a view of PACKED_SCRATCH, valid until the next call. */
function packedBytes(input: string): Uint8Array {
  if (typeof input !== 'string') throw malformed('seal: not text');
  if (input.length > MAX_SEAL_TEXT_LENGTH + 2048) throw malformed(`seal: text longer than ${MAX_SEAL_TEXT_LENGTH} characters`);
  const text = trimBreaks(input);
  const link = text.startsWith(SEAL_PREFIX) ? -1 : text.indexOf(LINK_MARKER);
  if (link >= 0) {
    const b32 = text.slice(link + LINK_MARKER.length);
    if (b32.length > MAX_SEAL_TEXT_LENGTH) throw malformed('seal: link too long');
    return base32Decode(b32);
  }
  if (!text.startsWith(SEAL_PREFIX)) {
    if (/^UR\d+:/.test(text)) throw new UrsealError('UNSUPPORTED', `seal: version ${text.slice(0, text.indexOf(':'))} is not supported`);
    throw malformed('seal: text does not start with UR1:');
  }
  if (text.length > MAX_SEAL_TEXT_LENGTH) throw malformed(`seal: text longer than ${MAX_SEAL_TEXT_LENGTH} characters`);
  const n = base45DecodeInto(text, SEAL_PREFIX.length, PACKED_SCRATCH);
  return new Uint8Array(PACKED_SCRATCH.buffer, 0, n);
}

/**
 * Accepts a seal as a person or a scanner gives it: "UR1:..." or a link containing "#UR1B:...";
 * line breaks and tabs around it are ignored (spaces are not: space is a Base45 character).
 * Returns the packed bytes (zlib or raw COSE). Throws UrsealError('MALFORMED').
 */
export function sealTextToPacked(input: string): Uint8Array {
  return packedBytes(input).slice();
}

/** Seal text (or link) -> COSE bytes (new bytes). Throws UrsealError('MALFORMED'). */
export function sealTextToCose(input: string): Uint8Array {
  return unpackSealBytes(packedBytes(input));
}

/**
 * `sealTextToCose` without copies: the COSE bytes may be a view of a buffer the next call reuses, so they
 * are valid only until then (for the synchronous check, which copies what it hands out).
 */
export function sealTextToCoseView(input: string): Uint8Array {
  return unpack(packedBytes(input), true);
}
