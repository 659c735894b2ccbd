// The fast path of decodeSeal: the one byte layout signSeal writes, read in a single pass, or nothing.
import { ALG_EDDSA, HEADER_ALG, HEADER_KID } from '../cose/sign1.js';
import type { CborKey, CborValue } from '../cbor/index.js';
import { decodeUtf8Strict } from '../encoding/utf8.js';
import { CLAIM, DOC, SEAL_LIMITS, validateClaims, type FieldValue, type SealClaims } from './claims.js';
import type { DecodedSeal } from './decode.js';

/*
 * Why a second reader, and why it is safe
 * ---------------------------------------
 * The general path (strict CBOR decoder -> COSE_Sign1 -> claims) builds Maps for every level and then
 * checks them; on a seal that is a third of everything verification does besides the signature itself.
 * This reader accepts only the exact layout urseal writes, in deterministic CBOR (RFC 8949 §4.2.1):
 *
 *   D2 84                       tag 18, array(4)                           (RFC 9052 §4.2)
 *   4D A2 01 27 04 48 <kid:8>   protected: bstr(13) {1: -8 (EdDSA), 4: kid}
 *   A0                          unprotected: {}
 *   58 nn | 59 nnnn <claims>    payload: bstr (shortest length head)
 *   58 40 <signature:64>        signature: bstr(64)
 *
 *   claims = {1: iss, [4: exp], 6: iat, 7: cti, -65537: {1: type, 2: number, 3: {fields}, [4: hash],
 *            [5: length], [6: status]}}, keys in this order, shortest heads, field ids in bytewise order.
 *
 * At the first byte that differs in any way (another header, a float, a long string, a 64-bit number,
 * an unusual but legal encoding) it returns `undefined` and the general path decides, giving its own
 * result or its own error message. So this reader never decides against a seal: it only accepts a
 * subset of what the general path accepts, and returns the same claims for it. The test suite holds it
 * to that on every seal it signs and on 100,000 mutated ones (test/core/seal/decode-usual.test.ts).
 * Byte strings in the result are views into `cose` (which decodeSeal owns), not copies.
 */

/** The general path's bound on one CBOR string in a seal (SEAL_CBOR_LIMITS in decode.ts). */
const MAX_STRING_BYTES = 4096;
/** Longest text this reader decodes itself; longer ones (rare) go to the general path. */
const MAX_SHORT_TEXT = 256;
/** Offsets in the usual layout: the payload's length head comes after tag, array, protected and {}. */
const KID_AT = 8;
const PAYLOAD_HEAD_AT = 17;

// Reader state: the reader runs synchronously to the end and calls no outside code, so one set serves all calls.
let d: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;

/** The argument of a head of major type `major` with the shortest encoding, up to 2^32 - 1; -1 otherwise. */
function head(major: number): number {
  if (pos >= end) return -1;
  const ib = d[pos++]!;
  if (ib >> 5 !== major) return -1;
  const info = ib & 31;
  if (info < 24) return info;
  if (info === 24) {
    if (pos + 1 > end) return -1;
    const v = d[pos++]!;
    return v < 24 ? -1 : v;
  }
  if (info === 25) {
    if (pos + 2 > end) return -1;
    const v = (d[pos]! << 8) | d[pos + 1]!;
    pos += 2;
    return v < 0x100 ? -1 : v;
  }
  if (info === 26) {
    if (pos + 4 > end) return -1;
    const v = d[pos]! * 0x1000000 + ((d[pos + 1]! << 16) | (d[pos + 2]! << 8) | d[pos + 3]!);
    pos += 4;
    return v < 0x10000 ? -1 : v;
  }
  return -1;
}

/** One key byte (a small unsigned key of the usual layout); false if the next byte is anything else. */
function key(k: number): boolean {
  if (pos < end && d[pos] === k) {
    pos++;
    return true;
  }
  return false;
}

/**
 * Short ASCII texts (field ids, agency and document-type ids) by their bytes: the same string object
 * each time, so using it as a property key or Map key needs no hashing of a new string. Filled as seals are
 * read, at most SHORT_TEXTS entries (a stream of made-up ids cannot grow it further).
 */
const shortTexts = new Map<number, string>();
const SHORT_TEXTS = 1024;
const SHORT_TEXT_BYTES = 6;

/** A text string decoded as strict UTF-8, or null. */
function text(): string | null {
  const n = head(3);
  if (n < 0 || n > MAX_SHORT_TEXT || pos + n > end) return null;
  if (n <= SHORT_TEXT_BYTES) {
    // The length, then 7 bits per byte: distinct for every (length, ASCII bytes), below 2^53.
    let key = n;
    let i = pos;
    for (; i < pos + n; i++) {
      const b = d[i]!;
      if (b >= 0x80) break;
      key = key * 128 + b;
    }
    if (i === pos + n) {
      let s = shortTexts.get(key);
      if (s === undefined) {
        s = decodeUtf8Strict(d, pos, pos + n)!;
        if (shortTexts.size < SHORT_TEXTS) shortTexts.set(key, s);
      }
      pos += n;
      return s;
    }
  }
  const s = decodeUtf8Strict(d, pos, pos + n);
  pos += n;
  return s;
}

/** A byte string (a view, not a copy), or null. */
function bytes(): Uint8Array | null {
  const n = head(2);
  if (n < 0 || n > MAX_STRING_BYTES || pos + n > end) return null;
  const out = view(d, pos, n);
  pos += n;
  return out;
}

/** `bytes[at..at+n)` as a view (a direct constructor call: cheaper than `subarray`, which looks up a species). */
function view(bytes: Uint8Array, at: number, n: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + at, n);
}

/** Byte-wise comparison of two encoded keys, as RFC 8949 §4.2.1 orders map keys. */
function compareEncoded(a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const x = d[a0 + i]!;
    const y = d[b0 + i]!;
    if (x !== y) return x - y;
  }
  return la - lb;
}

/** The fields map: text ids in deterministic order, values text or integers; null if anything else. */
function fields(): Record<string, FieldValue> | null {
  const count = head(5);
  if (count < 0 || count > SEAL_LIMITS.fieldCount) return null;
  const out: Record<string, FieldValue> = {};
  let prevStart = -1;
  let prevEnd = -1;
  for (let i = 0; i < count; i++) {
    const start = pos;
    const id = text();
    if (id === null) return null;
    if (prevStart >= 0 && compareEncoded(prevStart, prevEnd, start, pos) >= 0) return null;
    prevStart = start;
    prevEnd = pos;
    if (pos >= end) return null;
    const major = d[pos]! >> 5;
    let value: FieldValue;
    if (major === 3) {
      const s = text();
      if (s === null) return null;
      value = s;
    } else if (major === 0 || major === 1) {
      const n = head(major);
      if (n < 0) return null;
      value = major === 0 ? n : -1 - n;
    } else return null;
    out[id] = value;
  }
  return out;
}

/** The claims in the payload d[pos..end), in the usual layout; null otherwise. */
function claims(copyBytes: boolean): SealClaims | null {
  const count = head(5);
  if (count !== 4 && count !== 5) return null;
  if (!key(CLAIM.iss)) return null;
  const iss = text();
  if (iss === null) return null;
  let exp = -1;
  if (count === 5) {
    if (!key(CLAIM.exp)) return null;
    exp = head(0);
    if (exp < 0) return null;
  }
  if (!key(CLAIM.iat)) return null;
  const iat = head(0);
  if (iat < 0 || !key(CLAIM.cti)) return null;
  let cti = bytes();
  if (cti === null) return null;
  if (copyBytes) cti = cti.slice();
  // -65537: major 1, argument 65536 in four bytes (3A 00 01 00 00).
  if (pos + 5 > end || d[pos] !== 0x3a || d[pos + 1] !== 0 || d[pos + 2] !== 1 || d[pos + 3] !== 0 || d[pos + 4] !== 0) return null;
  pos += 5;
  let docCount = head(5);
  if (docCount < 3 || docCount > 6) return null;
  if (!key(DOC.type)) return null;
  const type = text();
  if (type === null || !key(DOC.number)) return null;
  const number = text();
  if (number === null || !key(DOC.fields)) return null;
  const f = fields();
  if (f === null) return null;
  const c: SealClaims = { iss, iat, cti, doc: { type, number, fields: f } };
  if (exp >= 0) c.exp = exp;
  docCount -= 3;
  if (docCount > 0 && key(DOC.hash)) {
    const hash = bytes();
    if (hash === null) return null;
    c.doc.hash = copyBytes ? hash.slice() : hash;
    docCount--;
  }
  if (docCount > 0 && key(DOC.length)) {
    const length = head(0);
    if (length < 0) return null;
    c.doc.length = length;
    docCount--;
  }
  if (docCount > 0 && key(DOC.status)) {
    const status = head(0);
    if (status < 0) return null;
    c.doc.status = status;
    docCount--;
  }
  return docCount === 0 ? c : null;
}

/**
 * Read a seal's COSE bytes in the usual layout (see above), or return `undefined` when they are laid out
 * in any other way, valid or not; the caller then takes the general path. Never throws.
 * With `copyClaimBytes`, the claims' byte strings (serial and file hash) are copies, so the claims stay
 * intact when `cose` is a reused buffer; the message parts and the kid are views of `cose` either way.
 *
 * @example
 * decodeUsualSeal(cose) ?? decodeCoseSeal(cose)
 */
export function decodeUsualSeal(cose: Uint8Array, copyClaimBytes = false): DecodedSeal | undefined {
  const n = cose.length;
  if (n < PAYLOAD_HEAD_AT + 2 + 66) return undefined;
  if (cose[0] !== 0xd2 || cose[1] !== 0x84 || cose[2] !== 0x4d || cose[3] !== 0xa2) return undefined;
  if (cose[4] !== 0x01 || cose[5] !== 0x27 || cose[6] !== 0x04 || cose[7] !== 0x48 || cose[16] !== 0xa0) return undefined;
  d = cose;
  pos = PAYLOAD_HEAD_AT;
  end = n;
  const payload = bytes();
  if (payload === null || pos + 66 !== n || cose[pos] !== 0x58 || cose[pos + 1] !== 0x40) return undefined;
  const signature = view(cose, pos + 2, 64);
  pos = payload.byteOffset - cose.byteOffset;
  end = pos + payload.length;
  const c = claims(copyClaimBytes);
  const complete = c !== null && pos === end;
  d = EMPTY; // drop the reference: the module must not keep a seal alive
  if (!complete) return undefined;
  try {
    validateClaims(c);
  } catch {
    return undefined; // the general path gives the reason
  }
  const kid = view(cose, KID_AT, 8);
  return {
    cose: {
      protectedBytes: view(cose, 3, 13),
      protectedHeader: new Map<CborKey, CborValue>([
        [HEADER_ALG, ALG_EDDSA],
        [HEADER_KID, kid],
      ]),
      unprotectedHeader: new Map(),
      payload,
      signature,
    },
    kid,
    claims: c,
  };
}

const EMPTY = new Uint8Array(0);
