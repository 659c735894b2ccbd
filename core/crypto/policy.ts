// The one strict Ed25519 verification policy of urseal, and the cheap byte-level pre-checks every backend runs first.

/*
 * VERIFICATION POLICY (every backend, every call)
 * ------------------------------------------------
 * A signature sig = R || S (64 bytes) on message M under public key A (32 bytes) is accepted iff all hold:
 *
 *  1. Lengths: |sig| = 64 and |A| = 32 (RFC 8032 §5.1.7 step 1 takes fixed-size inputs).
 *  2. S is canonical: 0 <= S < L, L = 2^252 + 27742317777372353535851937790883648493
 *     (RFC 8032 §5.1.7 step 1: "If any of the decodings fail (including S being out of range), the
 *     signature is invalid"). Without this, S + L is a second valid signature (malleability).
 *  3. A and R are canonical point encodings (RFC 8032 §5.1.3): y < p = 2^255 - 19, and not x = 0 with the
 *     sign bit set (§5.1.3 step 4: "if x = 0 and x_0 = 1, decoding fails"). A non-canonical encoding is a
 *     second byte string for the same point, so accepting it would give one key or signature several
 *     encodings; an honest signer never produces one.
 *  4. Neither A nor R is one of the 8 points of small order (the torsion subgroup). A small-order key
 *     verifies signatures that no private key made (e.g. A = identity, R = identity, S = 0 verifies any
 *     message). Honest keys and nonces are [a]B and [r]B with B of prime order L, so they never have
 *     small order: small-order A or R appears only in crafted inputs, and rejecting them is safe.
 *  5. A decodes to a curve point (RFC 8032 §5.1.3 steps 2-3), and the cofactorless equation holds:
 *     k = SHA-512(R || A || M) mod L, and the encoding of [S]B - [k]A equals the 32 bytes R exactly
 *     (RFC 8032 §5.1.7 step 3 allows checking [S]B = R + [k]A without the factor 8; comparing encodings
 *     is what OpenSSL and BoringSSL do, so R needs no separate decoding: an R that is not a point, or not
 *     canonical, can never equal a canonical encoding).
 *
 * Steps 1-4 are byte comparisons in this file (no field or scalar arithmetic) and run before every
 * verification in every backend, so they cost next to nothing. Step 5 is done by the backend:
 * node:crypto and WebCrypto in Node call OpenSSL (cofactorless, compares encodings); the noble backend
 * computes the same cofactorless equation itself, because @noble/ed25519's own `verify` is cofactored.
 *
 * This policy equals ed25519-dalek `verify_strict`: on the C2SP/CCTV edge-case vectors
 * (../shared/corpus/ed25519/cctv-validation) it accepts exactly the 43 of 914 whose flags are a subset of
 * {low_order_component_A, low_order_component_R} (points of mixed order, which pass the cofactorless
 * equation), and it rejects S >= L, non-canonical A/R, small-order A/R and the low_order_residue vectors
 * (which pass only the cofactored equation [8][S]B = [8]R + [8][k]A).
 *
 * Known limit: keys and R values of *mixed* order (a prime-order point plus a torsion component) cannot
 * be detected without a scalar multiplication, so the pre-checks let them through and the equation
 * decides. Every backend here runs the cofactorless equation, so they agree. A browser whose WebCrypto
 * used the cofactored equation instead would also accept the low_order_residue vectors; such signatures
 * need a mixed-order key or R, which no honest signer (A = [a]B, R = [r]B) ever produces, so a
 * disagreement could only concern a key crafted on purpose by its own holder, never a forgery.
 * For what browsers run underneath: the "Taming the many EdDSAs" speccheck table lists BoringSSL (Chrome),
 * CryptoKit (Safari) and HACL* with exactly OpenSSL 3.0's verdicts on its 10 edge cases.
 */

import { UrsealError } from '../errors.js';

/** Length of an Ed25519 signature R || S (RFC 8032 §5.1.6). */
export const SIGNATURE_LENGTH = 64;
/** Length of an encoded Ed25519 public key (RFC 8032 §5.1.5). */
export const PUBLIC_KEY_LENGTH = 32;
/** Length of an Ed25519 private seed (RFC 8032 §5.1.5). */
export const SEED_LENGTH = 32;

/** Why a (public key, signature) pair fails the pre-checks; `null` from {@link precheck} means it passes. */
export type PrecheckFailure =
  'PUBLIC_KEY_LENGTH' | 'SIGNATURE_LENGTH' | 'S_NOT_CANONICAL' | 'A_NOT_CANONICAL' | 'R_NOT_CANONICAL' | 'A_SMALL_ORDER' | 'R_SMALL_ORDER';

/** The group order L (RFC 8032 §5.1), little-endian, as S is encoded. */
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);

/**
 * Canonical encodings (RFC 8032 §5.1.2) of the 8 points of small order: the identity (order 1),
 * (0, -1) (order 2), (±sqrt(-1), 0) (order 4) and 4 points of order 8. The test suite checks with
 * @noble/ed25519 that each decodes and that [8]P is the identity.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity (0, 1)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // (0, -1), order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // (+-sqrt(-1), 0), order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // (-+sqrt(-1), 0), order 4
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
];

const SMALL_ORDER: readonly Uint8Array[] = SMALL_ORDER_ENCODINGS.map((hex) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
});

/**
 * True for a Uint8Array from any realm (a Node Buffer counts). Verification must never throw on odd input,
 * so backends test this before touching `.length` or indexing.
 *
 * @example
 * isBytes(new Uint8Array(2)) // true; isBytes([1, 2]) // false
 */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor !== undefined && value.constructor.name === 'Uint8Array')
  );
}

/**
 * Is the 32-byte little-endian scalar below L? RFC 8032 §5.1.7 step 1 (S out of range fails decoding).
 *
 * @example
 * isCanonicalScalar(signature.subarray(32, 64)) // false for S + L (a malleated signature)
 */
export function isCanonicalScalar(s: Uint8Array, offset = 0): boolean {
  // Compare from the most significant byte down; the first differing byte decides.
  for (let i = 31; i >= 0; i--) {
    const a = s[offset + i]!;
    const b = L_LE[i]!;
    if (a !== b) return a < b;
  }
  return false; // S == L
}

/**
 * Is this 32-byte point encoding canonical (RFC 8032 §5.1.3)? Rejects y >= p and "x = 0 with sign bit 1".
 * It does not check that y is on the curve (that needs a square root); the equation step rejects those.
 *
 * @example
 * isCanonicalPointEncoding(fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')) // false: y = p
 */
export function isCanonicalPointEncoding(e: Uint8Array, offset = 0): boolean {
  const top = e[offset + 31]! & 0x7f;
  const sign = e[offset + 31]! & 0x80;
  // y >= p = 2^255 - 19 means: bits 8..254 all ones, low byte >= 0xed. Only 19 such y values exist.
  let middleAllOnes = top === 0x7f;
  for (let i = 1; middleAllOnes && i < 31; i++) if (e[offset + i] !== 0xff) middleAllOnes = false;
  if (middleAllOnes && e[offset]! >= 0xed) return false;
  if (sign !== 0) {
    // x = 0 exactly when y^2 = 1, i.e. y = 1 or y = p - 1; then a set sign bit is a second encoding.
    if (middleAllOnes && e[offset] === 0xec) return false; // y = p - 1
    if (top === 0 && e[offset] === 0x01) {
      let middleZero = true;
      for (let i = 1; middleZero && i < 31; i++) if (e[offset + i] !== 0) middleZero = false;
      if (middleZero) return false; // y = 1
    }
  }
  return true;
}

/**
 * Is this canonical encoding one of the 8 small-order points? Only meaningful after
 * {@link isCanonicalPointEncoding}: non-canonical aliases of these points are rejected there.
 *
 * @example
 * isSmallOrderEncoding(fromHex('0100000000000000000000000000000000000000000000000000000000000000')) // true: the identity
 */
export function isSmallOrderEncoding(e: Uint8Array, offset = 0): boolean {
  for (const p of SMALL_ORDER) {
    let same = true;
    for (let i = 0; same && i < 32; i++) if (e[offset + i] !== p[i]) same = false;
    if (same) return true;
  }
  return false;
}

/**
 * Policy steps 1-4 (see the comment at the top of this file): byte comparisons only, no curve arithmetic.
 * Returns the first failed check, or `null` when the pair may go on to the equation.
 *
 * @example
 * precheck(publicKey, signature) // null, or e.g. 'S_NOT_CANONICAL'
 */
export function precheck(publicKey: unknown, signature: unknown): PrecheckFailure | null {
  if (!isBytes(publicKey) || publicKey.length !== PUBLIC_KEY_LENGTH) return 'PUBLIC_KEY_LENGTH';
  if (!isBytes(signature) || signature.length !== SIGNATURE_LENGTH) return 'SIGNATURE_LENGTH';
  if (!isCanonicalScalar(signature, 32)) return 'S_NOT_CANONICAL';
  if (!isCanonicalPointEncoding(publicKey)) return 'A_NOT_CANONICAL';
  if (!isCanonicalPointEncoding(signature, 0)) return 'R_NOT_CANONICAL';
  if (isSmallOrderEncoding(publicKey)) return 'A_SMALL_ORDER';
  if (isSmallOrderEncoding(signature, 0)) return 'R_SMALL_ORDER';
  return null;
}

/**
 * Boolean form of {@link precheck}, plus the message type check; what backends call before the equation.
 *
 * @example
 * if (!passesPrechecks(publicKey, message, signature)) return false;
 */
export function passesPrechecks(publicKey: unknown, message: unknown, signature: unknown): boolean {
  return isBytes(message) && precheck(publicKey, signature) === null;
}

/**
 * Throw `UrsealError('INVALID_ARGUMENT')` unless `seed` is a 32-byte Uint8Array (RFC 8032 §5.1.5).
 *
 * @example
 * assertSeed(new Uint8Array(31)) // throws, code INVALID_ARGUMENT
 */
export function assertSeed(seed: unknown): asserts seed is Uint8Array {
  if (!isBytes(seed) || seed.length !== SEED_LENGTH) {
    const got = isBytes(seed) ? `${seed.length} bytes` : typeof seed;
    throw new UrsealError('INVALID_ARGUMENT', `Ed25519 seed must be ${SEED_LENGTH} bytes, got ${got}`);
  }
}

/**
 * A small insertion-ordered cache for parsed public keys (KeyObject, CryptoKey, decoded point).
 * Bounded so that verifying seals under many attacker-chosen keys cannot grow memory without limit;
 * the oldest entry is evicted first. Keys are the hex of the public key bytes.
 *
 * @example
 * const cache = new KeyCache<KeyObject>(4096);
 * const k = cache.get(hex) ?? cache.set(hex, parse(bytes));
 */
export class KeyCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();

  constructor(max = 4096) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Store and return `value`, evicting the oldest entry when full. */
  set(key: string, value: V): V {
    if (this.#map.size >= this.#max && !this.#map.has(key)) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
    return value;
  }

  get size(): number {
    return this.#map.size;
  }
}
