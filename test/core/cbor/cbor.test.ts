// CBOR: RFC 8949 Appendix A examples (the subset urseal uses), CWT claims from cose-wg, strictness and bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor, Tagged, type CborValue } from '../../../core/cbor/index.js';
import { UrsealError } from '../../../core/errors.js';
import { corpusJson, hex } from '../../corpus.js';

const h = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 8949 Appendix A, "Examples of Encoded CBOR Data Items" (integers, strings, arrays, maps, tags, simple values).
const APPENDIX_A: [CborValue, string][] = [
  [0, '00'],
  [1, '01'],
  [10, '0a'],
  [23, '17'],
  [24, '1818'],
  [25, '1819'],
  [100, '1864'],
  [1000, '1903e8'],
  [1000000, '1a000f4240'],
  [-1, '20'],
  [-10, '29'],
  [-100, '3863'],
  [-1000, '3903e7'],
  [false, 'f4'],
  [true, 'f5'],
  [null, 'f6'],
  [new Uint8Array(0), '40'],
  [new Uint8Array([1, 2, 3, 4]), '4401020304'],
  ['', '60'],
  ['a', '6161'],
  ['IETF', '6449455446'],
  ['"\\', '62225c'],
  ['\u00fc', '62c3bc'],
  ['\u6c34', '63e6b0b4'],
  [[], '80'],
  [[1, 2, 3], '83010203'],
  [[1, [2, 3], [4, 5]], '8301820203820405'],
  [new Map(), 'a0'],
  [
    new Map<number, number>([
      [1, 2],
      [3, 4],
    ]),
    'a201020304',
  ],
  [
    new Map<string, CborValue>([
      ['a', 1],
      ['b', [2, 3]],
    ]),
    'a26161016162820203',
  ],
  [new Tagged(1, 1363896240), 'c11a514b67b0'],
];

function errCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof UrsealError ? e.code : String(e);
  }
  return undefined;
}

describe('CBOR', () => {
  it.each(APPENDIX_A.map(([v, x]) => [x, v]))('RFC 8949 Appendix A: %s', (x, v) => {
    expect(h(encodeCbor(v as CborValue))).toBe(x);
    expect(decodeCbor(hex(x as string))).toEqual(v);
  });

  it('sorts map keys bytewise (RFC 8949 §4.2.1) whatever the insertion order', () => {
    const m = new Map<number | string, CborValue>([
      ['b', 1],
      [-65537, 2],
      [7, 3],
      [1, 4],
      ['a', 5],
    ]);
    expect(h(encodeCbor(m))).toBe('a5' + '0104' + '0703' + '3a0001000002' + '616105' + '616201');
  });

  it('decodes the RFC 8392 A.3 CWT claims from cose-wg', () => {
    const j = corpusJson<{ input: { plaintext_hex: string } }>('cose', 'CWT', 'A_3.json');
    const claims = decodeCbor(hex(j.input.plaintext_hex)) as Map<number, CborValue>;
    expect(claims.get(1)).toBe('coap://as.example.com');
    expect(claims.get(2)).toBe('erikw');
    expect(claims.get(4)).toBe(1444064944);
    expect(claims.get(6)).toBe(1443944944);
    expect(claims.get(7)).toEqual(hex('0b71'));
  });

  it.each([
    ['1800', 'non-shortest integer'],
    ['5f4101ff', 'indefinite byte string'],
    ['9f01ff', 'indefinite array'],
    ['a201010102', 'duplicate key'],
    ['a203040102', 'unsorted keys'],
    ['f93c00', 'half float'],
    ['fb3ff199999999999a', 'double'],
    ['f7', 'undefined'],
    ['6261', 'truncated text'],
    ['62c328', 'invalid UTF-8'],
    ['0101', 'trailing byte'],
    ['1c', 'reserved additional info'],
    ['9bffffffffffffffff', 'huge array length'],
    ['5a7fffffff', 'huge byte string'],
    ['a1f601', 'null as map key'],
    ['1bffffffffffffffff', 'integer above 2^53'],
  ])('rejects %s (%s) with MALFORMED', (x) => {
    expect(errCode(() => decodeCbor(hex(x)))).toBe('MALFORMED');
  });

  it('bounds depth', () => {
    const deep = new Uint8Array(1000).fill(0x81);
    expect(errCode(() => decodeCbor(new Uint8Array([...deep, 0])))).toBe('MALFORMED');
    expect(errCode(() => decodeCbor(hex('818181810'.padEnd(10, '0')), { maxDepth: 3 }))).toBe('MALFORMED');
    expect(decodeCbor(hex('8181818100'), { maxDepth: 4 })).toEqual([[[[0]]]]);
  });

  it('bounds item counts and string sizes before allocating', () => {
    expect(errCode(() => decodeCbor(hex('99ffff' + '00'.repeat(10)), { maxItems: 100 }))).toBe('MALFORMED');
    expect(errCode(() => decodeCbor(hex('59ffff' + '00'.repeat(10)), { maxStringBytes: 100 }))).toBe('MALFORMED');
  });

  const value: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.maxSafeInteger(),
      fc.string(),
      fc.uint8Array({ maxLength: 40 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 5 }),
      fc
        .uniqueArray(fc.tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), tie('v')), { maxLength: 5, selector: (e) => e[0] })
        .map((entries) => new Map(entries)),
    ),
  })).v;

  it('round-trips any value; encoding is deterministic; decode(encode(x)) re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCbor(v);
        const back = decodeCbor(bytes, { maxDepth: 64, maxItems: 1000 });
        expect(h(encodeCbor(back))).toBe(h(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('CBOR text decoding', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const asText = (bytes: Uint8Array) => new Uint8Array([...encodeCbor(bytes)].map((b, i) => (i === 0 ? b + 0x20 : b)));

  it('accepts and rejects exactly the byte strings a fatal TextDecoder does (short and long texts)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => new TextEncoder().encode(s)),
          fc.uint8Array({ minLength: 250, maxLength: 300 }),
        ),
        (bytes) => {
          let expected: string | undefined;
          try {
            expected = fatal.decode(bytes);
          } catch {
            expected = undefined;
          }
          let got: string | undefined;
          try {
            got = decodeCbor(asText(bytes)) as string;
          } catch (e) {
            expect((e as UrsealError).code).toBe('MALFORMED');
            got = undefined;
          }
          expect(got).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each(['c080', 'e08080', 'eda080', 'f4908080', 'f0808080', 'c3', 'e282', 'ff', '80'])('rejects invalid UTF-8 %s', (x) => {
    expect(errCode(() => decodeCbor(hex((0x60 + x.length / 2).toString(16) + x)))).toBe('MALFORMED');
  });
});

describe('CBOR text encoding', () => {
  /** The reference: shortest head over the TextEncoder bytes (RFC 8949 §3.1, §4.2.1). */
  const reference = (s: string): string => {
    const b = new TextEncoder().encode(s);
    const n = b.length;
    const head =
      n < 24
        ? [0x60 | n]
        : n < 0x100
          ? [0x78, n]
          : n < 0x10000
            ? [0x79, n >> 8, n & 255]
            : [0x7a, n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
    return h(new Uint8Array([...head, ...b]));
  };

  it('writes the UTF-8 bytes under the shortest head, at every length where the head size may change', () => {
    const chars = ['a', 'س', '水', '😀'];
    for (const c of chars) {
      for (const units of [0, 1, 7, 8, 23, 24, 25, 85, 86, 255, 256, 257, 21845, 21846, 65535, 65536]) {
        const s = c.repeat(Math.ceil(units / c.length)).slice(0, units - (units % c.length));
        expect(h(encodeCbor(s)), `${c} x ${units}`).toBe(reference(s));
      }
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 40 }), (a, b) => {
        expect(h(encodeCbor(a))).toBe(reference(a));
        expect(h(encodeCbor(b))).toBe(reference(b));
        expect(h(encodeCbor([a, b]))).toBe('82' + reference(a) + reference(b));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['\ud800', 'a\ud800b', '\udc00', 'x\udfff', '\ud800\ud800', 'ok\ud83d'])('refuses a lone surrogate in %j', (s) => {
    expect(errCode(() => encodeCbor(s))).toBe('INVALID_ARGUMENT');
  });
});
