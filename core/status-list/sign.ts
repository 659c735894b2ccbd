// Signing a status list with the agency's key (issuer side; verification never imports this).
import { encodeProtected, signSign1, signSign1Sync } from '../cose/sign1.js';
import type { Ed25519Backend, SigningKey } from '../crypto/backend.js';
import { keyId } from '../hash.js';
import type { StatusList } from './codec.js';
import { encodeStatusListPayload } from './encode.js';

/**
 * Sign a status list: COSE_Sign1 by an agency key that the trust list admits.
 * @example const bytes = await signStatusList({ issuer: 'MOJ', sequence: 8, issuedAt, expiresAt, size: 1024, bits }, backend, key)
 */
export async function signStatusList(list: StatusList, backend: Ed25519Backend, key: SigningKey): Promise<Uint8Array> {
  return signSign1(backend, key, encodeProtected(keyId(key.publicKey)), encodeStatusListPayload(list));
}

/** Synchronous `signStatusList`. */
export function signStatusListSync(list: StatusList, backend: Ed25519Backend, key: SigningKey): Uint8Array {
  return signSign1Sync(backend, key, encodeProtected(keyId(key.publicKey)), encodeStatusListPayload(list));
}
