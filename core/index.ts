// urseal core: seals, trust lists and status lists; pure TypeScript, no I/O, runs in Node and in browsers.
export { UrsealError, malformed } from './errors.js';
export type { CoreErrorCode } from './errors.js';
export { toHex, fromHex, concatBytes, bytesEqual, constantTimeEqual, utf8, fromUtf8 } from './bytes.js';
export { sha256, sha256Async, keyId } from './hash.js';
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
export { selectBackend, selectBackendSync, nativeBackend, webCryptoBackend, nobleBackend } from './crypto/index.js';
export type { Ed25519Backend, SigningKey, BackendName } from './crypto/backend.js';
export { RESULT_CODES, describe } from './results.js';
export type { ResultCode, Verdict, Message } from './results.js';
export { CLAIM, DOC, SEAL_LIMITS, validateClaims, claimsToCbor, claimsFromCbor } from './seal/claims.js';
export type { SealClaims, DocumentClaims, FieldValue } from './seal/claims.js';
export { SEAL_PREFIX, LINK_MARKER, MAX_SEAL_TEXT_LENGTH, sealTextToCose, sealTextToPacked, unpackSealBytes } from './seal/text.js';
export { coseToSealText, packSealBytes, toLinkForm } from './seal/pack.js';
export { signSeal, signSealSync } from './seal/sign.js';
export type { SealSigner } from './seal/sign.js';
export { decodeSeal } from './seal/decode.js';
export type { DecodedSeal } from './seal/decode.js';
export { verifySeal, verifySealSync } from './seal/verify.js';
export type { SealResult, ShownField, VerifySealOptions } from './seal/verify.js';
export type { TrustList, Agency, AgencyKey, DocumentType, FieldLabel, Label, RootKey, KeyStatus } from './trust-list/types.js';
export { encodeTrustListPayload, decodeTrustListPayload, validateTrustList, TRUST_LIST_LIMITS } from './trust-list/codec.js';
export { signTrustList, signTrustListSync } from './trust-list/sign.js';
export { verifyTrustList, verifyTrustListSync } from './trust-list/verify.js';
export type { VerifiedTrustList, TrustListResult, VerifyTrustListOptions } from './trust-list/verify.js';
export { isRevoked, setRevoked, decodeStatusListPayload, validateStatusList, MAX_STATUS_BITS } from './status-list/codec.js';
export { encodeStatusListPayload } from './status-list/encode.js';
export type { StatusList } from './status-list/codec.js';
export { signStatusList, signStatusListSync } from './status-list/sign.js';
export { verifyStatusList, verifyStatusListSync } from './status-list/verify.js';
export type { VerifiedStatusList, StatusListResult, VerifyStatusListOptions } from './status-list/verify.js';
export { verifyPdf, MAX_PDF_BYTES } from './pdf/verify-file.js';
export type { PdfResult, FileCheck } from './pdf/verify-file.js';
export { extractPdfSeal, closingMessage, closingMessageAsync, closingRangeStatus } from './pdf/verify.js';
export type { PdfSeal, ByteRange, ClosingRangeStatus } from './pdf/verify.js';
export { pdfImages, isPdf, PDF_IMAGE_LIMITS } from './pdf/images.js';
export type { PdfImage } from './pdf/images.js';
