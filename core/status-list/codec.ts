// Status list payload (DESIGN "Status lists"): a zlib-compressed bitstring, bit i set = document i revoked.
import { decodeCbor } from '../cbor/decode.js';
import { malformed } from '../errors.js';
import { inflate } from '../zlib/inflate.js';

/** Largest list: 2^24 documents = 2 MiB of bits once inflated (a zip bomb stops there). */
export const MAX_STATUS_BITS = 1 << 24;
export const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;

/** A status list's content. Times are seconds since 1970. */
export interface StatusList {
  /** Agency id (as in the trust list). */
  issuer: string;
  /** Only grows; a verifier refuses a lower one than it has seen. */
  sequence: number;
  issuedAt: number;
  /** When the next list is due. */
  expiresAt: number;
  /** Number of status indexes covered. */
  size: number;
  /** ceil(size / 8) bytes; bit i is bit (7 - i % 8) of byte floor(i / 8), most significant first. */
  bits: Uint8Array;
}

/** Whether document index `i` is revoked; indexes past the list's size are not revoked. */
export function isRevoked(list: StatusList, i: number): boolean {
  if (!Number.isSafeInteger(i) || i < 0 || i >= list.size) return false;
  return ((list.bits[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
}

/** A copy of `bits` large enough for `size` bits with bit `i` set. */
export function setRevoked(bits: Uint8Array, size: number, i: number): Uint8Array {
  if (!Number.isSafeInteger(i) || i < 0 || i >= size) throw malformed(`status index ${i} is outside the list (size ${size})`);
  const out = new Uint8Array(Math.ceil(size / 8));
  out.set(bits.subarray(0, out.length));
  out[i >> 3]! |= 1 << (7 - (i & 7));
  return out;
}

/** Check a status list's fields; throws MALFORMED. */
export function validateStatusList(l: StatusList): void {
  if (typeof l.issuer !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(l.issuer))
    throw malformed('status list: iss must be an agency id');
  for (const [k, v] of [
    ['seq', l.sequence],
    ['iat', l.issuedAt],
    ['exp', l.expiresAt],
    ['size', l.size],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw malformed(`status list: ${k} must be a whole number`);
  }
  if (l.size > MAX_STATUS_BITS) throw malformed(`status list: more than ${MAX_STATUS_BITS} entries`);
  if (!(l.expiresAt > l.issuedAt)) throw malformed('status list: exp must be after iat');
  if (l.bits.length !== Math.ceil(l.size / 8)) throw malformed('status list: bits do not match size');
}

/** CBOR payload -> StatusList, strictly and bounded. Throws UrsealError('MALFORMED'). */
export function decodeStatusListPayload(payload: Uint8Array): StatusList {
  const v = decodeCbor(payload, { maxDepth: 2, maxItems: 16, maxStringBytes: MAX_STATUS_LIST_BYTES });
  if (!(v instanceof Map)) throw malformed('status list: payload must be a map');
  for (const k of v.keys())
    if (!['v', 'iss', 'seq', 'iat', 'exp', 'size', 'bits'].includes(k as string))
      throw malformed(`status list: unknown key ${JSON.stringify(k)}`);
  if (v.get('v') !== 1) throw malformed('status list: version must be 1');
  const size = v.get('size');
  const z = v.get('bits');
  if (typeof size !== 'number' || size > MAX_STATUS_BITS) throw malformed('status list: size must be a whole number up to 2^24');
  if (!(z instanceof Uint8Array)) throw malformed('status list: bits must be a byte string');
  const list: StatusList = {
    issuer: v.get('iss') as string,
    sequence: v.get('seq') as number,
    issuedAt: v.get('iat') as number,
    expiresAt: v.get('exp') as number,
    size,
    bits: inflate(z, Math.ceil(size / 8)),
  };
  validateStatusList(list);
  return list;
}
