// Signing a seal: claims -> CBOR -> COSE_Sign1 (Ed25519) -> zlib? -> Base45 -> "UR1:" text.
import { encodeProtected, signSign1, signSign1InScratch } from '../cose/sign1.js';
import type { Ed25519Backend, SigningKey } from '../crypto/backend.js';
import { keyId } from '../hash.js';
import { checkIssuedText, encodeClaims, encodeClaimsView, type SealClaims } from './claims.js';
import { coseToSealText } from './pack.js';

/** An agency key ready to sign: the backend that imported it and the imported key. */
export interface SealSigner {
  backend: Ed25519Backend;
  key: SigningKey;
}

// The protected header depends only on the key: compute it once per imported key.
const protectedCache = new WeakMap<SigningKey, Uint8Array>();

function protectedFor(key: SigningKey): Uint8Array {
  let p = protectedCache.get(key);
  if (!p) {
    p = encodeProtected(keyId(key.publicKey));
    protectedCache.set(key, p);
  }
  return p;
}

/**
 * Sign claims into a seal text. Deterministic: Ed25519 (RFC 8032) and our CBOR and zlib encoders are, so the same
 * claims and key always give the same text. Throws UrsealError('MALFORMED') naming a bad claim, including text a
 * verifier could show as something it is not (controls, bidi controls, lone surrogates, blanks: validateIssuedClaims).
 * @example
 * const text = await signSeal({ iss: 'MOJ', iat: 1764000000, cti: serial, doc: { type: 'poa', number: '77/2026', fields: { n: 'سارة' } } }, signer)
 */
export async function signSeal(claims: SealClaims, signer: SealSigner): Promise<string> {
  checkIssuedText(claims);
  const payload = encodeClaims(claims); // validates the structure
  return coseToSealText(await signSign1(signer.backend, signer.key, protectedFor(signer.key), payload));
}

/** Synchronous `signSeal` for backends with `sync: true` (node:crypto, noble). */
export function signSealSync(claims: SealClaims, signer: SealSigner): string {
  // No intermediate byte array is allocated: claims, message and text each live in a reused buffer until
  // the next step has read them. Order matters: protectedFor may encode CBOR, which would overwrite the
  // claims' view, so it runs first.
  checkIssuedText(claims);
  const protectedBytes = protectedFor(signer.key);
  const payload = encodeClaimsView(claims); // validates the structure
  return coseToSealText(signSign1InScratch(signer.backend, signer.key, protectedBytes, payload));
}
