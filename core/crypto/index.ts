// Entry point of core/crypto: the three Ed25519 backends and the choice of the fastest one available.

import type { Ed25519Backend } from './backend.js';
import { nativeBackend } from './native.js';
import { nobleBackend } from './noble.js';
import { webCryptoBackend } from './webcrypto.js';

export type { BackendName, Ed25519Backend, SigningKey } from './backend.js';
export type { PrecheckFailure } from './policy.js';
export {
  PUBLIC_KEY_LENGTH,
  SEED_LENGTH,
  SIGNATURE_LENGTH,
  SMALL_ORDER_ENCODINGS,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
  precheck,
} from './policy.js';
export { nativeBackend } from './native.js';
export { nobleBackend } from './noble.js';
export { webCryptoBackend } from './webcrypto.js';

let selected: Promise<Ed25519Backend> | undefined;
let selectedSync: Ed25519Backend | undefined;

/**
 * The fastest Ed25519 backend of this runtime, chosen once and cached: node:crypto in Node, else
 * WebCrypto when it has Ed25519 (current browsers), else @noble/ed25519. All three give the same
 * verdicts (core/crypto/policy.ts), so the choice changes speed only.
 *
 * @example
 * const ed = await selectBackend();
 * const ok = await ed.verify(publicKey, message, signature);
 */
export function selectBackend(): Promise<Ed25519Backend> {
  selected ??= (async () => nativeBackend() ?? (await webCryptoBackend()) ?? nobleBackend())();
  return selected;
}

/**
 * The fastest backend with synchronous methods, chosen once and cached: node:crypto, else @noble/ed25519
 * (WebCrypto is async only).
 *
 * @example
 * const ed = selectBackendSync();
 * const ok = ed.verifySync(publicKey, message, signature);
 */
export function selectBackendSync(): Ed25519Backend {
  selectedSync ??= nativeBackend() ?? nobleBackend();
  return selectedSync;
}
