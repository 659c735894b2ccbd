// Encoding a status list payload (issuer side): the bits are zlib-compressed with our deterministic deflate.
import { encodeCbor, type CborKey, type CborValue } from '../cbor/index.js';
import { deflate } from '../zlib/deflate.js';
import { validateStatusList, type StatusList } from './codec.js';

/** StatusList -> CBOR payload bytes. */
export function encodeStatusListPayload(list: StatusList): Uint8Array {
  validateStatusList(list);
  return encodeCbor(
    new Map<CborKey, CborValue>([
      ['v', 1],
      ['iss', list.issuer],
      ['seq', list.sequence],
      ['iat', list.issuedAt],
      ['exp', list.expiresAt],
      ['size', list.size],
      ['bits', deflate(list.bits)],
    ]),
  );
}
