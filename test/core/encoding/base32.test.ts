// Base32 (RFC 4648 §10 test vectors, no padding) and strictness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../core/encoding/base32.js';
import { UrsealError } from '../../../core/errors.js';

// RFC 4648 §10, with the '=' padding removed (the link form omits it).
const RFC4648 = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
] as const;

describe('base32 (RFC 4648)', () => {
  it.each(RFC4648)('%j <-> %j', (plain, enc) => {
    expect(base32Encode(new TextEncoder().encode(plain))).toBe(enc);
    expect(new TextDecoder().decode(base32Decode(enc))).toBe(plain);
  });

  it.each(['MZXW6===', 'mzxw6', 'M', 'MZX', 'MZXW6Y', 'MZ', 'MZXR', 'A1'])('rejects %j', (s) => {
    // 'MZ' and 'MZXR' have non-zero unused bits: a second spelling of the same bytes.
    let err: unknown;
    try {
      base32Decode(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UrsealError);
    expect((err as UrsealError).code).toBe('MALFORMED');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        expect(base32Decode(base32Encode(b))).toEqual(b);
      }),
    );
  });
});
