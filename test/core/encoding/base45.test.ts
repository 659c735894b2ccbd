// Base45 known answers from ../shared/corpus/base45 (RFC 9285 and implementation tests) and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45DecodeInto, base45Encode, base45EncodeAfter, BASE45_ALPHABET, div45 } from '../../../core/encoding/base45.js';
import { UrsealError } from '../../../core/errors.js';
import { corpusJson, hex } from '../../corpus.js';

interface Vectors {
  alphabet: string;
  valid: { bytes_hex: string; base45: string }[];
  invalid_decode: { base45: string; reason: string }[];
  non_rfc_legacy_mapping: { utf8: string; base45_other_scheme: string; rfc9285_encoding: string }[];
}
const V = corpusJson<Vectors>('base45', 'base45-vectors.json');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof UrsealError ? e.code : 'NOT_URSEAL_ERROR';
  }
  return undefined;
}

describe('base45 (RFC 9285)', () => {
  it('uses the RFC alphabet', () => expect(BASE45_ALPHABET).toBe(V.alphabet));

  it.each(V.valid.map((v) => [v.base45, v.bytes_hex]))('encodes and decodes %j exactly', (b45, h) => {
    expect(base45Encode(hex(h))).toBe(b45);
    expect(Buffer.from(base45Decode(b45)).toString('hex')).toBe(h.toLowerCase());
  });

  it.each(V.invalid_decode.map((v) => [v.base45, v.reason]))('rejects %j (%s)', (b45) => {
    expect(code(() => base45Decode(b45))).toBe('MALFORMED');
  });

  it.each(V.non_rfc_legacy_mapping.map((v) => [v.base45_other_scheme, v.utf8, v.rfc9285_encoding]))(
    'rejects the pre-RFC encoding %j of %j and encodes it the RFC way',
    (other, text, rfc) => {
      expect(code(() => base45Decode(other))).toBe('MALFORMED');
      expect(base45Encode(new TextEncoder().encode(text))).toBe(rfc);
    },
  );

  it('round-trips any bytes, and the text uses only the alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const t = base45Encode(bytes);
        expect([...t].every((c) => BASE45_ALPHABET.includes(c))).toBe(true);
        expect(base45Decode(t)).toEqual(bytes);
      }),
    );
  });

  it('never throws anything but MALFORMED on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const c = code(() => base45Decode(s));
        expect(c === undefined || c === 'MALFORMED').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('div45 is floor(v / 45) for every 16-bit value', () => {
    let wrong = 0;
    for (let v = 0; v <= 0xffff; v++) if (div45(v) !== Math.floor(v / 45)) wrong++;
    expect(wrong).toBe(0);
  });

  it('decodes into a buffer from an offset, and names positions from that offset', () => {
    const out = new Uint8Array(8).fill(0xee);
    expect(base45DecodeInto('UR1:BB8', 4, out)).toBe(2);
    expect([...out.subarray(0, 3)]).toEqual([65, 66, 0xee]);
    expect(() => base45DecodeInto('UR1:BB8aB', 4, out)).toThrow(/at 3 is not in the alphabet/);
    expect(() => base45DecodeInto('UR1:GGW', 4, out)).toThrow(/chunk at 0 is larger than 65535/);
    expect(() => base45DecodeInto('UR1:BB8:;', 4, out)).toThrow(/character ";" at 4/);
    expect(() => base45DecodeInto('UR1:BB8GG', 4, out)).toThrow(/last chunk at 3 is larger than 255/);
    // Not ASCII: read by charCodeAt, and the character is named where it stands.
    expect(() => base45DecodeInto('UR1:BBé', 4, out)).toThrow(/character "é" at 2 is not in the alphabet/);
    expect(() => base45DecodeInto('UR1:B\u0660B', 4, out)).toThrow(/at 1 is not in the alphabet/);
  });

  it('decodes texts longer than its ASCII buffer (over 4352 characters) the same way', () => {
    const bytes = Uint8Array.from({ length: 3300 }, (_, i) => (i * 131 + 7) & 255);
    const t = base45Encode(bytes);
    expect(t.length).toBeGreaterThan(4352);
    expect(base45Decode(t)).toEqual(bytes);
    expect(() => base45Decode(t.slice(0, 4500) + 'a' + t.slice(4501))).toThrow(/at 4500 is not in the alphabet/);
  });

  it('encodes after a prefix as one string, reusing its buffer safely between calls', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1500 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const ta = base45EncodeAfter('UR1:', a);
        const tb = base45EncodeAfter('', b);
        expect(ta).toBe('UR1:' + base45Encode(a));
        expect(base45Decode(ta.slice(4))).toEqual(a);
        expect(base45Decode(tb)).toEqual(b);
      }),
    );
  });
});
