// Reading a seal without trusting it: text -> COSE_Sign1 -> kid and claims, strictly and with bounded sizes.
import { decodeCbor } from '../cbor/index.js';
import { decodeSign1, eddsaKid, type Sign1 } from '../cose/sign1.js';
import { claimsFromCbor, type SealClaims } from './claims.js';
import { decodeUsualSeal } from './decode-usual.js';
import { sealTextToCose, sealTextToCoseView } from './text.js';

/** A parsed, NOT yet verified seal. */
export interface DecodedSeal {
  cose: Sign1;
  /** 8-byte key id from the protected header. */
  kid: Uint8Array;
  claims: SealClaims;
}

const SEAL_CBOR_LIMITS = { maxDepth: 6, maxItems: 64, maxStringBytes: 4096 } as const;

/**
 * The general path: COSE bytes -> strict CBOR -> COSE_Sign1 -> EdDSA kid -> claims, for any layout the
 * formats allow. Throws UrsealError ('MALFORMED' or 'UNSUPPORTED') with the reason.
 * @example decodeCoseSeal(sealTextToCose(text)).kid
 */
export function decodeCoseSeal(cose: Uint8Array): DecodedSeal {
  const msg = decodeSign1(cose, { limits: SEAL_CBOR_LIMITS });
  const kid = eddsaKid(msg);
  const claims = claimsFromCbor(decodeCbor(msg.payload, SEAL_CBOR_LIMITS));
  return { cose: msg, kid, claims };
}

/**
 * Parse a seal text or link. Throws UrsealError ('MALFORMED' or 'UNSUPPORTED') with the reason.
 * The layout signSeal writes is read by a one-pass reader (decode-usual.ts) that gives the same result;
 * anything else goes through the general path.
 * @example decodeSeal('UR1:...').claims.doc.number
 */
export function decodeSeal(input: string): DecodedSeal {
  const cose = sealTextToCose(input);
  return decodeUsualSeal(cose) ?? decodeCoseSeal(cose);
}

/**
 * `decodeSeal` for the synchronous check: the message parts (protected header, payload, signature, kid)
 * may be views of a reused buffer, valid only until the next decoding; the claims are the caller's to keep.
 * One Uint8Array over 64 bytes costs about 0.7 µs in V8 (its memory lives outside the JavaScript heap),
 * so not copying the message is a measurable share of a seal check.
 */
export function decodeSealTransient(input: string): DecodedSeal {
  const cose = sealTextToCoseView(input);
  return decodeUsualSeal(cose, true) ?? decodeCoseSeal(cose);
}
