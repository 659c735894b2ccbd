// Reading a seal without trusting it: text -> COSE_Sign1 -> kid and claims, strictly and with bounded sizes.
import { decodeCbor } from '../cbor/index.js';
import { decodeSign1, eddsaKid, type Sign1 } from '../cose/sign1.js';
import { claimsFromCbor, type SealClaims } from './claims.js';
import { sealTextToCose } from './text.js';

/** A parsed, NOT yet verified seal. */
export interface DecodedSeal {
  cose: Sign1;
  /** 8-byte key id from the protected header. */
  kid: Uint8Array;
  claims: SealClaims;
}

const SEAL_CBOR_LIMITS = { maxDepth: 6, maxItems: 64, maxStringBytes: 4096 } as const;

/**
 * Parse a seal text or link. Throws UrsealError ('MALFORMED' or 'UNSUPPORTED') with the reason.
 * @example decodeSeal('UR1:...').claims.doc.number
 */
export function decodeSeal(input: string): DecodedSeal {
  const cose = decodeSign1(sealTextToCose(input), { limits: SEAL_CBOR_LIMITS });
  const kid = eddsaKid(cose);
  const claims = claimsFromCbor(decodeCbor(cose.payload, SEAL_CBOR_LIMITS));
  return { cose, kid, claims };
}
