// Ed25519 in pure JavaScript (@noble/ed25519 3.x), for runtimes with neither node:crypto nor WebCrypto Ed25519.

import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { toHex } from '../bytes.js';
import { signingKeys, type Ed25519Backend, type SigningKey } from './backend.js';
import { assertSeed, KeyCache, passesPrechecks } from './policy.js';

const { Point } = ed;
type NoblePoint = InstanceType<typeof Point>;

/** Group order L (RFC 8032 §5.1). */
const L = Point.CURVE().n;

function bigIntFromLE(bytes: Uint8Array, start: number, end: number): bigint {
  let n = 0n;
  for (let i = end - 1; i >= start; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

const KEYS = signingKeys<Uint8Array>('noble');

let cached: Ed25519Backend | undefined;

/**
 * The pure-JavaScript backend (sync and async), available everywhere. About 10x slower than
 * node:crypto, so `selectBackend` (core/crypto/index.ts) picks it only when neither node:crypto nor WebCrypto Ed25519 exists.
 *
 * Signing is @noble/ed25519's RFC 8032 §5.1.6 `sign`. Verification is NOT noble's `verify`: that one
 * checks the cofactored equation [8][S]B = [8]R + [8][k]A (with default ZIP-215 decoding, or its
 * stricter `{ zip215: false }` branch, which is still cofactored), so it would accept the CCTV
 * low_order_residue vectors that OpenSSL rejects. To give exactly the verdicts of the native and
 * WebCrypto backends, this backend runs the policy pre-checks and then the cofactorless equation itself
 * on noble's Point API (policy.ts, step 5).
 *
 * @example
 * const ed = nobleBackend();
 * const key = ed.importSigningKeySync(seed);
 * ed.verifySync(key.publicKey, message, ed.signSync(key, message)); // true
 */
export function nobleBackend(): Ed25519Backend {
  if (cached) return cached;
  // noble v3's sync API needs a sync SHA-512; @noble/hashes is the same authors' audited implementation.
  ed.hashes.sha512 = sha512;

  // Decoded public keys: decoding costs a field square root, worth keeping for keys seen again.
  const points = new KeyCache<NoblePoint | null>(4096);

  function decodePublicKey(publicKey: Uint8Array): NoblePoint | null {
    const id = toHex(publicKey);
    const hit = points.get(id);
    if (hit !== undefined) return hit;
    let point: NoblePoint | null;
    try {
      // zip215 = false: strict RFC 8032 §5.1.3 decoding (y < p, no x = 0 with sign bit); the pre-checks
      // already enforced both, this also rejects y values that are not on the curve.
      point = Point.fromBytes(publicKey, false);
    } catch {
      point = null;
    }
    return points.set(id, point);
  }

  function importSigningKeySync(seed: Uint8Array): SigningKey {
    assertSeed(seed);
    const own = Uint8Array.from(seed);
    return KEYS.wrap(Uint8Array.from(ed.getPublicKey(own)), own);
  }

  function signSync(key: SigningKey, message: Uint8Array): Uint8Array {
    return Uint8Array.from(ed.sign(message, KEYS.unwrap(key)));
  }

  function verifySync(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (!passesPrechecks(publicKey, message, signature)) return false;
    const A = decodePublicKey(publicKey);
    if (A === null) return false;
    try {
      // RFC 8032 §5.1.7, cofactorless: k = SHA-512(R || A || M) mod L; accept iff [S]B - [k]A encodes to R.
      // Hashing the received bytes of R and A is exact because the pre-checks made both canonical.
      // Scalars here are public, so the variable-time ("unsafe") multiplications leak nothing secret.
      const h = sha512.create();
      h.update(signature.subarray(0, 32));
      h.update(publicKey);
      h.update(message);
      const k = bigIntFromLE(h.digest(), 0, 64) % L;
      const S = bigIntFromLE(signature, 32, 64); // < L by the pre-checks
      const expectedR = Point.BASE.multiply(S, false).subtract(A.multiply(k, false)).toBytes();
      for (let i = 0; i < 32; i++) if (expectedR[i] !== signature[i]) return false;
      return true;
    } catch {
      return false;
    }
  }

  cached = {
    name: 'noble',
    sync: true,
    importSigningKeySync,
    signSync,
    verifySync,
    importSigningKey: async (seed) => importSigningKeySync(seed),
    sign: async (key, message) => signSync(key, message),
    verify: async (publicKey, message, signature) => verifySync(publicKey, message, signature),
  };
  return cached;
}
