// Signing a trust list with a root key (the national data center's side; verification never imports this).
import { encodeProtected, signSign1, signSign1Sync } from '../cose/sign1.js';
import type { Ed25519Backend, SigningKey } from '../crypto/backend.js';
import { keyId } from '../hash.js';
import { encodeTrustListPayload } from './codec.js';
import type { TrustList } from './types.js';

/**
 * Sign a trust list: COSE_Sign1 with protected {alg: EdDSA, kid: root kid}. Validates the list first.
 * @example const bytes = await signTrustList(list, backend, rootKey)
 */
export async function signTrustList(list: TrustList, backend: Ed25519Backend, rootKey: SigningKey): Promise<Uint8Array> {
  return signSign1(backend, rootKey, encodeProtected(keyId(rootKey.publicKey)), encodeTrustListPayload(list));
}

/** Synchronous `signTrustList`. */
export function signTrustListSync(list: TrustList, backend: Ed25519Backend, rootKey: SigningKey): Uint8Array {
  return signSign1Sync(backend, rootKey, encodeProtected(keyId(rootKey.publicKey)), encodeTrustListPayload(list));
}
