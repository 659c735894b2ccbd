// The CBOR data model used by urseal: the subset of RFC 8949 that seals, trust lists and status lists need.

/** A tagged item (RFC 8949 §3.4), e.g. COSE_Sign1 is tag 18. */
export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

/** Map keys are integers or text (as in COSE and CWT). */
export type CborKey = number | string;

/**
 * Values: integers (safe JavaScript integers), byte strings, text, arrays, maps with int/text keys,
 * tags, booleans and null. Floats, undefined, indefinite lengths and big numbers are not part of urseal's formats.
 */
export type CborValue = number | string | Uint8Array | boolean | null | CborValue[] | Map<CborKey, CborValue> | Tagged;
