// Ed25519 on WebCrypto (crypto.subtle, {name: 'Ed25519'}): the async-only backend for browsers.

import { toHex } from '../bytes.js';
import { UrsealError } from '../errors.js';
import { signingKeys, type Ed25519Backend, type SigningKey } from './backend.js';
import { assertSeed, KeyCache, passesPrechecks } from './policy.js';

const ED25519 = { name: 'Ed25519' } as const;

/** RFC 8410 PKCS#8 wrapping of a 32-byte Ed25519 seed (the only private-key import every browser takes). */
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** WebCrypto takes only ArrayBuffer-backed views (not SharedArrayBuffer); copy in the rare other case. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

/** Public key of the all-zero seed (RFC 8032 §5.1.5); any valid point would do for the feature probe. */
const PROBE_PUBLIC_KEY = Uint8Array.from([
  0x3b, 0x6a, 0x27, 0xbc, 0xce, 0xb6, 0xa4, 0x2d, 0x62, 0xa3, 0xa8, 0xd0, 0x2a, 0x6f, 0x0d, 0x73, 0x65, 0x32, 0x15, 0x77, 0x1d, 0xe2, 0x43,
  0xa6, 0x3a, 0xc0, 0x48, 0xa1, 0x8b, 0x59, 0xda, 0x29,
]);

function base64UrlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const KEYS = signingKeys<CryptoKey>('webcrypto');

/** One backend (and so one key cache) per SubtleCrypto object. */
const bySubtle = new WeakMap<SubtleCrypto, Promise<Ed25519Backend | null>>();

function syncUnavailable(): never {
  throw new UrsealError('CRYPTO_UNAVAILABLE', 'the WebCrypto Ed25519 backend is async only; use the async methods');
}

/**
 * The WebCrypto backend over `subtle` (default `globalThis.crypto.subtle`), or `null` when that has no
 * Ed25519 (feature-detected by importing a key, as older browsers reject the algorithm name).
 * Async only: `sync` is false and the `*Sync` methods throw `UrsealError('CRYPTO_UNAVAILABLE')`.
 * Verification applies the policy pre-checks (core/crypto/policy.ts) before `subtle.verify`, so the
 * verdicts match the other backends wherever the browser's equation is cofactorless (see policy.ts).
 * Imported public keys are cached (at most 4096, oldest evicted first); concurrent verifies under one
 * key share a single import. The result is cached per `subtle` object.
 *
 * @example
 * const ed = await webCryptoBackend();
 * if (ed) {
 *   const key = await ed.importSigningKey(seed);
 *   const ok = await ed.verify(key.publicKey, message, await ed.sign(key, message)); // true
 * }
 */
export function webCryptoBackend(subtle?: SubtleCrypto): Promise<Ed25519Backend | null> {
  const s = subtle ?? (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!s) return Promise.resolve(null);
  let made = bySubtle.get(s);
  if (!made) {
    // Feature detection: runtimes without Ed25519 reject the algorithm at import (NotSupportedError).
    made = (async () => {
      try {
        await s.importKey('raw', PROBE_PUBLIC_KEY, ED25519, false, ['verify']);
        return makeBackend(s);
      } catch {
        return null;
      }
    })();
    bySubtle.set(s, made);
  }
  return made;
}

function makeBackend(subtle: SubtleCrypto): Ed25519Backend {
  const publicKeys = new KeyCache<Promise<CryptoKey | null>>(4096);

  function publicCryptoKey(publicKey: Uint8Array): Promise<CryptoKey | null> {
    const id = toHex(publicKey);
    const hit = publicKeys.get(id);
    if (hit !== undefined) return hit;
    // A key the runtime refuses (not a curve point) verifies nothing: cache the refusal as null.
    const imported = subtle.importKey('raw', bufferSource(publicKey.slice()), ED25519, false, ['verify']).catch(() => null);
    return publicKeys.set(id, imported);
  }

  async function importSigningKey(seed: Uint8Array): Promise<SigningKey> {
    assertSeed(seed);
    const der = new Uint8Array(PKCS8_PREFIX.length + 32);
    der.set(PKCS8_PREFIX);
    der.set(seed, PKCS8_PREFIX.length);
    try {
      // WebCrypto cannot derive a public key from a private CryptoKey directly; the JWK export of an
      // extractable copy carries it (`x`). The key kept for signing is a separate non-extractable import.
      const extractable = await subtle.importKey('pkcs8', der, ED25519, true, ['sign']);
      const jwk = await subtle.exportKey('jwk', extractable);
      const signing = await subtle.importKey('pkcs8', der, ED25519, false, ['sign']);
      if (typeof jwk.x !== 'string') throw new Error('JWK export has no x');
      const publicKey = base64UrlDecode(jwk.x);
      if (publicKey.length !== 32) throw new Error('JWK x is not 32 bytes');
      return KEYS.wrap(publicKey, signing);
    } catch (cause) {
      throw new UrsealError('CRYPTO_UNAVAILABLE', 'WebCrypto could not import the Ed25519 seed', { cause });
    } finally {
      der.fill(0);
    }
  }

  async function sign(key: SigningKey, message: Uint8Array): Promise<Uint8Array> {
    const cryptoKey = KEYS.unwrap(key);
    // Pure Ed25519 (RFC 8032 §5.1.6): deterministic, identical bytes to the other backends.
    return new Uint8Array(await subtle.sign(ED25519, cryptoKey, bufferSource(message)));
  }

  async function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (!passesPrechecks(publicKey, message, signature)) return false;
    try {
      const cryptoKey = await publicCryptoKey(publicKey);
      if (cryptoKey === null) return false;
      return await subtle.verify(ED25519, cryptoKey, bufferSource(signature), bufferSource(message));
    } catch {
      return false;
    }
  }

  return {
    name: 'webcrypto',
    sync: false,
    importSigningKey,
    sign,
    verify,
    importSigningKeySync: syncUnavailable,
    signSync: syncUnavailable,
    verifySync: syncUnavailable,
  };
}
