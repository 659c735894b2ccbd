// urseal core: seals, trust lists and status lists; pure TypeScript, no I/O, runs in Node and in browsers.
// Everything the verifier page needs comes from core/verifier.ts; this entry adds signing, encoding and the rest.
export * from './verifier.js';
export { malformed } from './errors.js';
export { fromHex, concatBytes, constantTimeEqual, utf8, fromUtf8 } from './bytes.js';
export { base45Encode, base45Decode, BASE45_ALPHABET } from './encoding/base45.js';
export { base32Encode, base32Decode } from './encoding/base32.js';
export { encodeCbor, decodeCbor, Tagged } from './cbor/index.js';
export type { CborKey, CborValue, CborLimits } from './cbor/index.js';
export { deflate, inflate } from './zlib/index.js';
export {
  sigStructure,
  encodeSign1,
  decodeSign1,
  encodeProtected,
  eddsaKid,
  signSign1,
  signSign1Sync,
  verifySign1,
  verifySign1Sync,
  COSE_SIGN1_TAG,
  ALG_EDDSA,
} from './cose/sign1.js';
export type { Sign1, DecodeSign1Options } from './cose/sign1.js';
export { selectBackendSync } from './crypto/index.js';
export type { SigningKey } from './crypto/backend.js';
export {
  CLAIM,
  DOC,
  SEAL_LIMITS,
  validateClaims,
  validateIssuedClaims,
  unsafeTextReason,
  isBlankText,
  claimsToCbor,
  claimsFromCbor,
} from './seal/claims.js';
export { MAX_SEAL_TEXT_LENGTH, sealTextToPacked, unpackSealBytes } from './seal/text.js';
export { coseToSealText, packSealBytes, toLinkForm } from './seal/pack.js';
export { signSeal, signSealSync } from './seal/sign.js';
export type { SealSigner } from './seal/sign.js';
export { encodeTrustListPayload, decodeTrustListPayload, validateTrustList, isStatusUrl, TRUST_LIST_LIMITS } from './trust-list/codec.js';
export { signTrustList, signTrustListSync } from './trust-list/sign.js';
export { setRevoked, decodeStatusListPayload, validateStatusList, MAX_STATUS_BITS } from './status-list/codec.js';
export { encodeStatusListPayload } from './status-list/encode.js';
export { signStatusList, signStatusListSync } from './status-list/sign.js';
export { MAX_PDF_BYTES } from './pdf/verify-file.js';
export { extractPdfSeal, closingMessage, closingMessageAsync, closingRangeStatus } from './pdf/verify.js';
export type { PdfSeal, ByteRange, ClosingRangeStatus } from './pdf/verify.js';
export { PDF_IMAGE_LIMITS } from './pdf/images.js';
