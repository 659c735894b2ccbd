// CBOR (RFC 8949) subset: deterministic encoding and strict, bounded decoding.
export { encodeCbor, encodeWith } from './encode.js';
export type { CborWriter } from './encode.js';
export { decodeCbor } from './decode.js';
export type { CborLimits } from './decode.js';
export { Tagged } from './types.js';
export type { CborKey, CborValue } from './types.js';
