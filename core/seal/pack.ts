// Writing the seal's text forms: "UR1:" + Base45(zlib?(COSE)) for the QR, and the "#UR1B:" link form.
import { base32Encode } from '../encoding/base32.js';
import { base45EncodeAfter } from '../encoding/base45.js';
import { deflate, deflateView } from '../zlib/deflate.js';
import { LINK_MARKER, SEAL_PREFIX, sealTextToPacked } from './text.js';

/**
 * Pack COSE bytes for transport: zlib only when it makes the bytes shorter (DESIGN "The seal").
 * A COSE_Sign1 starts with 0xD2 (tag 18), a zlib stream with 0x78, so the reader can tell them apart.
 */
export function packSealBytes(cose: Uint8Array): Uint8Array {
  const z = deflate(cose);
  return z.length < cose.length ? z : cose;
}

/**
 * COSE bytes -> "UR1:" text for a QR code in alphanumeric mode.
 * @example coseToSealText(cose) // 'UR1:6BFOXN...'
 */
export function coseToSealText(cose: Uint8Array): string {
  // packSealBytes without copies: the deflated bytes are read once, straight from the compressor's buffer.
  const z = deflateView(cose);
  return base45EncodeAfter(SEAL_PREFIX, z.length < cose.length ? z : cose);
}

/**
 * The link form: `<verifier URL>#UR1B:<Base32>`. The fragment is never sent to a server by browsers,
 * and Base32 (unlike Base45, whose space becomes %20) survives in a URL unchanged.
 * @example toLinkForm(sealText, 'https://verify.example.gov/') // 'https://verify.example.gov/#UR1B:...'
 */
export function toLinkForm(sealText: string, verifierUrl: string): string {
  const packed = sealTextToPacked(sealText);
  const base = verifierUrl.split('#')[0]!;
  return base + LINK_MARKER + base32Encode(packed);
}
