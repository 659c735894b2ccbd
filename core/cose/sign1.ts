// COSE_Sign1 (RFC 9052 §4.2) with EdDSA: building, strict parsing, and the Sig_structure of §4.4.
import { decodeCbor, encodeCbor, Tagged, type CborKey, type CborLimits, type CborValue } from '../cbor/index.js';
import { malformed, UrsealError } from '../errors.js';
import type { Ed25519Backend, SigningKey } from '../crypto/backend.js';

/** COSE_Sign1 tag (RFC 9052 §2). */
export const COSE_SIGN1_TAG = 18;
/** Header label `alg` and `kid` (RFC 9052 §3.1). */
export const HEADER_ALG = 1;
export const HEADER_KID = 4;
/** EdDSA algorithm id (RFC 9053 §2.2). */
export const ALG_EDDSA = -8;

const EMPTY = new Uint8Array(0);

/** A parsed COSE_Sign1 message. `protectedBytes` are the exact wire bytes: signatures are checked over them. */
export interface Sign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<CborKey, CborValue>;
  unprotectedHeader: Map<CborKey, CborValue>;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Sig_structure for COSE_Sign1 (RFC 9052 §4.4): ["Signature1", body_protected, external_aad, payload].
 * @example sigStructure(protectedBytes, payload) // the exact bytes that are signed
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(sigStructureLength(protectedBytes, payload, externalAad));
  writeSigStructure(out, protectedBytes, payload, externalAad);
  return out;
}

function sigStructureLength(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array): number {
  return (
    SIG1_PREFIX.length +
    bstrHeadLength(protectedBytes.length) +
    protectedBytes.length +
    bstrHeadLength(externalAad.length) +
    externalAad.length +
    bstrHeadLength(payload.length) +
    payload.length
  );
}

/** Built directly (it is made for every signature check): byte for byte encodeCbor(['Signature1', p, aad, payload]) (tested). */
function writeSigStructure(out: Uint8Array, protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array): number {
  let o = copyInto(out, 0, SIG1_PREFIX);
  o = writeBstrHead(out, o, protectedBytes.length);
  o = copyInto(out, o, protectedBytes);
  o = writeBstrHead(out, o, externalAad.length);
  o = copyInto(out, o, externalAad);
  o = writeBstrHead(out, o, payload.length);
  return copyInto(out, o, payload);
}

/** `out.set(bytes, at)`, by hand for short arrays (a `set` call costs more than copying a header); returns the end. */
function copyInto(out: Uint8Array, at: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n > 32) out.set(bytes, at);
  else for (let i = 0; i < n; i++) out[at + i] = bytes[i]!;
  return at + n;
}

/**
 * Reused by the synchronous paths for the bytes handed to a backend's signSync/verifySync, which read them
 * before returning: a fresh Uint8Array over 64 bytes costs about 0.7 µs in V8 (its memory is outside the
 * JavaScript heap), a noticeable share of a seal check. The async paths allocate (a backend may read later).
 */
let scratch = new Uint8Array(2048);
/** Larger messages (big status lists) get a buffer of their own, so the scratch never stays large. */
const MAX_SCRATCH = 1 << 16;

function scratchFor(n: number): Uint8Array {
  if (n > MAX_SCRATCH) return new Uint8Array(n);
  if (scratch.length < n) scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(n, 2 * scratch.length)));
  return scratch;
}

/** The Sig_structure in `scratch`, as a view valid until the next synchronous sign or verify. */
function sigStructureInScratch(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array): Uint8Array {
  const out = scratchFor(sigStructureLength(protectedBytes, payload, externalAad));
  return new Uint8Array(out.buffer, 0, writeSigStructure(out, protectedBytes, payload, externalAad));
}

/** 0x84 (array of 4) followed by the text "Signature1" (RFC 9052 §4.4). */
const SIG1_PREFIX = new Uint8Array([0x84, 0x6a, ...new TextEncoder().encode('Signature1')]);

function bstrHeadLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

function writeBstrHead(out: Uint8Array, o: number, n: number): number {
  if (n < 24) out[o++] = 0x40 | n;
  else if (n < 0x100) {
    out[o++] = 0x58;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = 0x59;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = 0x5a;
    out[o++] = (n >>> 24) & 0xff;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

/**
 * Serialise a tagged COSE_Sign1. An empty protected map is sent as a zero-length bstr (RFC 9052 §3).
 * @example encodeSign1(encodeProtected(kid), payload, signature)
 */
export function encodeSign1(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
  unprotectedHeader: Map<CborKey, CborValue> = new Map(),
): Uint8Array {
  if (unprotectedHeader.size > 0) return encodeCbor(new Tagged(COSE_SIGN1_TAG, [protectedBytes, unprotectedHeader, payload, signature]));
  // The usual case, built directly (signing hot path): tag 18 (0xD2), array(4), bstr, {} (0xA0), bstr, bstr.
  const parts = [protectedBytes, payload, signature];
  let n = 3;
  for (const p of parts) n += bstrHeadLength(p.length) + p.length;
  const out = new Uint8Array(n);
  out[0] = 0xd2;
  out[1] = 0x84;
  let o = 2;
  for (let i = 0; i < 3; i++) {
    const p = parts[i]!;
    o = writeBstrHead(out, o, p.length);
    out.set(p, o);
    o += p.length;
    if (i === 0) out[o++] = 0xa0;
  }
  return out;
}

/** The protected header urseal writes: {1: -8 (EdDSA), 4: kid}. */
export function encodeProtected(kid: Uint8Array): Uint8Array {
  return encodeCbor(
    new Map<CborKey, CborValue>([
      [HEADER_ALG, ALG_EDDSA],
      [HEADER_KID, kid],
    ]),
  );
}

export interface DecodeSign1Options {
  /** Accept a message without tag 18 (only where the context says Sign1). Default false. */
  allowUntagged?: boolean;
  /** CBOR limits for the outer structure (defaults from decodeCbor; deterministic by default). */
  limits?: CborLimits;
}

/**
 * Parse a COSE_Sign1 strictly: tag 18 (a different tag is rejected even if the signature would verify),
 * four elements of the right types, protected header a bstr holding a map (or empty).
 * Policy: the protected header is used exactly as sent (its wire bytes), never re-encoded; so cose-wg
 * "sign-pass-01" (h'A0' on the wire, signed as h'') is rejected, which is the safe reading of RFC 9052 §3.
 * Throws UrsealError('MALFORMED').
 */
export function decodeSign1(bytes: Uint8Array, options: DecodeSign1Options = {}): Sign1 {
  let v = decodeCbor(bytes, options.limits);
  if (v instanceof Tagged) {
    if (v.tag !== COSE_SIGN1_TAG) throw malformed(`cose: tag ${v.tag} is not COSE_Sign1 (18)`);
    v = v.value;
  } else if (!options.allowUntagged) {
    throw malformed('cose: missing COSE_Sign1 tag 18');
  }
  if (!Array.isArray(v) || v.length !== 4) throw malformed('cose: COSE_Sign1 must be an array of 4 items');
  const [p, u, payload, signature] = v as [CborValue, CborValue, CborValue, CborValue];
  if (!(p instanceof Uint8Array)) throw malformed('cose: protected header must be a byte string');
  if (!(u instanceof Map)) throw malformed('cose: unprotected header must be a map');
  if (!(payload instanceof Uint8Array)) throw malformed('cose: payload must be a byte string (detached payloads are not used)');
  if (!(signature instanceof Uint8Array)) throw malformed('cose: signature must be a byte string');
  let protectedHeader: Map<CborKey, CborValue>;
  if (p.length === 0) protectedHeader = new Map();
  else {
    const h = decodeCbor(p, { maxDepth: 4, maxItems: 16, maxStringBytes: 256, deterministic: false });
    if (!(h instanceof Map)) throw malformed('cose: protected header must be a map');
    protectedHeader = h;
  }
  for (const key of protectedHeader.keys()) {
    if (u.has(key)) throw malformed(`cose: header ${key} is both protected and unprotected`);
  }
  return { protectedBytes: p, protectedHeader, unprotectedHeader: u, payload, signature };
}

/**
 * The EdDSA parameters of a message: alg must be -8 in the protected header; kid (when required) a bstr
 * taken from the protected header only, so nobody can swap it without breaking the signature.
 */
export function eddsaKid(msg: Sign1, kidLength = 8): Uint8Array {
  const alg = msg.protectedHeader.get(HEADER_ALG);
  if (alg === undefined) throw malformed('cose: protected header has no alg');
  if (alg !== ALG_EDDSA) throw new UrsealError('UNSUPPORTED', `cose: algorithm ${String(alg)} is not EdDSA (-8)`);
  const kid = msg.protectedHeader.get(HEADER_KID);
  if (!(kid instanceof Uint8Array) || kid.length !== kidLength) throw malformed(`cose: protected kid must be ${kidLength} bytes`);
  if (msg.signature.length !== 64) throw malformed('cose: an Ed25519 signature is 64 bytes');
  return kid;
}

/** Sign a payload into a tagged COSE_Sign1 (async: works on every backend). */
export async function signSign1(
  backend: Ed25519Backend,
  key: SigningKey,
  protectedBytes: Uint8Array,
  payload: Uint8Array,
): Promise<Uint8Array> {
  const signature = await backend.sign(key, sigStructure(protectedBytes, payload));
  return encodeSign1(protectedBytes, payload, signature);
}

/** Synchronous `signSign1` for backends with `sync: true`. */
export function signSign1Sync(backend: Ed25519Backend, key: SigningKey, protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return signSign1InScratch(backend, key, protectedBytes, payload).slice();
}

/**
 * `signSign1Sync` without allocating: the message is a view of a reused buffer, valid only until the next
 * synchronous sign or verify (for the seal signing path, which packs it at once).
 *
 * The Sig_structure  84 6A "Signature1" | bstr protected | 40 | bstr payload  and the message
 * D2 84 | bstr protected | A0 | bstr payload | 58 40 signature  share everything after their first 12 and
 * 2 bytes, so the message is made in place: 10 bytes in, two bytes before and one after the protected
 * header rewritten, the signature appended.
 */
export function signSign1InScratch(backend: Ed25519Backend, key: SigningKey, protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const out = scratchFor(sigStructureLength(protectedBytes, payload, EMPTY) + 2 + 64);
  const n = writeSigStructure(out, protectedBytes, payload, EMPTY);
  const signature = backend.signSync(key, new Uint8Array(out.buffer, 0, n));
  if (signature.length !== 64) throw new UrsealError('CRYPTO_UNAVAILABLE', 'cose: the backend returned a signature that is not 64 bytes');
  const start = SIG1_PREFIX.length - 2;
  out[start] = 0xd2; // tag 18
  out[start + 1] = 0x84; // array(4)
  out[SIG1_PREFIX.length + bstrHeadLength(protectedBytes.length) + protectedBytes.length] = 0xa0; // unprotected {}
  out[n] = 0x58;
  out[n + 1] = 64;
  out.set(signature, n + 2);
  return new Uint8Array(out.buffer, start, n + 66 - start);
}

/** Check the signature of a parsed message with a public key (RFC 9052 §4.4; strict Ed25519). */
export function verifySign1(backend: Ed25519Backend, publicKey: Uint8Array, msg: Sign1, externalAad?: Uint8Array): Promise<boolean> {
  return backend.verify(publicKey, sigStructure(msg.protectedBytes, msg.payload, externalAad), msg.signature);
}

/** Synchronous `verifySign1`. */
export function verifySign1Sync(backend: Ed25519Backend, publicKey: Uint8Array, msg: Sign1, externalAad: Uint8Array = EMPTY): boolean {
  return backend.verifySync(publicKey, sigStructureInScratch(msg.protectedBytes, msg.payload, externalAad), msg.signature);
}
