// The Ed25519 backend interface: one verification policy, three implementations (node:crypto, WebCrypto, noble).
import { UrsealError } from '../errors.js';

/**
 * A private key imported once into a backend (e.g. a cached node:crypto KeyObject or a WebCrypto CryptoKey).
 * Opaque to callers: only the backend that made it can sign with it.
 */
export interface SigningKey {
  /** Name of the backend that imported it. */
  readonly backend: BackendName;
  /** The raw 32-byte public key. */
  readonly publicKey: Uint8Array;
}

export type BackendName = 'native' | 'webcrypto' | 'noble';

/**
 * Ed25519 as used by urseal. Every backend implements the same *strict* verification policy
 * (see core/crypto/policy.ts): on every vector in ../shared/corpus/ed25519 all backends give the same verdict.
 *
 * Verification never throws: malformed keys or signatures give `false`.
 * The `*Sync` methods exist when `sync` is true; on an async-only backend (WebCrypto) they throw
 * `UrsealError('CRYPTO_UNAVAILABLE')`.
 */
export interface Ed25519Backend {
  readonly name: BackendName;
  /** True when the *Sync methods work (node:crypto, noble). */
  readonly sync: boolean;

  /** Import a 32-byte private seed (RFC 8032 §5.1.5). Throws UrsealError('INVALID_ARGUMENT') on a wrong length. */
  importSigningKey(seed: Uint8Array): Promise<SigningKey>;
  importSigningKeySync(seed: Uint8Array): SigningKey;

  /** Deterministic RFC 8032 signature (64 bytes). */
  sign(key: SigningKey, message: Uint8Array): Promise<Uint8Array>;
  signSync(key: SigningKey, message: Uint8Array): Uint8Array;

  /** Strict verification; public keys are parsed once and cached inside the backend. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  verifySync(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * Imported keys of one backend: the public handle callers hold, and the backend-private secret behind it
 * (a KeyObject, a CryptoKey, a seed), kept in a WeakMap so it is unreachable from outside the backend.
 * @example const keys = signingKeys<CryptoKey>('webcrypto'); const k = keys.wrap(pub, cryptoKey); keys.unwrap(k)
 */
export function signingKeys<Secret>(backend: BackendName): {
  wrap(publicKey: Uint8Array, secret: Secret): SigningKey;
  unwrap(key: SigningKey): Secret;
} {
  const secrets = new WeakMap<SigningKey, Secret>();
  return {
    wrap(publicKey, secret) {
      const key: SigningKey = Object.freeze({ backend, publicKey });
      secrets.set(key, secret);
      return key;
    },
    unwrap(key) {
      const secret = typeof key === 'object' && key !== null ? secrets.get(key) : undefined;
      if (secret === undefined) {
        throw new UrsealError('INVALID_ARGUMENT', `signing key was imported by the ${String(key?.backend)} backend, not ${backend}`);
      }
      return secret;
    },
  };
}
