// The one-pass seal reader must agree with the general path: same result where it answers, never a verdict of its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCbor, encodeWith, Tagged, type CborKey, type CborValue, type CborWriter } from '../../../core/cbor/index.js';
import { decodeSign1, encodeSign1 } from '../../../core/cose/sign1.js';
import { claimsToCbor, encodeClaims, type SealClaims } from '../../../core/seal/claims.js';
import { decodeCoseSeal, decodeSeal } from '../../../core/seal/decode.js';
import { decodeUsualSeal } from '../../../core/seal/decode-usual.js';
import { sealTextToCose } from '../../../core/seal/text.js';
import { claimsArb } from '../../helpers/arbitraries.js';
import { claims, DAY, seal, T0 } from '../../helpers/world.js';

/** The general path's answer: the decoded seal, or the error code it throws. */
function general(cose: Uint8Array): ReturnType<typeof decodeCoseSeal> | string {
  try {
    return decodeCoseSeal(cose);
  } catch (e) {
    return (e as { code?: string }).code ?? 'THREW';
  }
}

/** Same bytes under the seal's own signature, with the claims map replaced. */
function withPayload(text: string, payload: Uint8Array): Uint8Array {
  const m = decodeSign1(sealTextToCose(text));
  return encodeSign1(m.protectedBytes, payload, m.signature);
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('decodeUsualSeal (the fast path of decodeSeal)', () => {
  it('reads every seal signSeal writes, with exactly the general path result (property)', () => {
    fc.assert(
      fc.property(claimsArb, fc.option(fc.integer({ min: T0 + 2 * DAY, max: T0 + 9000 * DAY }), { nil: undefined }), (c, exp) => {
        const withExp: SealClaims = exp === undefined ? c : { ...c, exp };
        const cose = sealTextToCose(seal(withExp));
        const fast = decodeUsualSeal(cose);
        expect(fast).toBeDefined();
        expect(fast).toEqual(decodeCoseSeal(cose));
        expect(fast!.claims).toEqual(withExp);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves what it does not read itself to the general path, which still decodes it', () => {
    // A text over 256 bytes, and a field value beyond 32 bits: valid seals in a layout the fast path does not take.
    for (const c of [claims({}, { number: 'ب'.repeat(60), fields: { n: 'س'.repeat(200) } }), claims({}, { fields: { big: 2 ** 40 } })]) {
      const cose = sealTextToCose(seal(c));
      expect(decodeUsualSeal(cose)).toBeUndefined();
      expect(decodeSeal(seal(c)).claims).toEqual(c);
    }
  });

  it('refuses, for the general path to judge, encodings it must not accept', () => {
    const base = seal();
    const c = claims();
    const map = claimsToCbor(c);
    const doc = map.get(-65537) as Map<CborKey, CborValue>;
    /** The usual claims layout with the fields written by `fields` (count `n`). */
    const withFields = (n: number, fields: (w: CborWriter) => void) =>
      encodeWith((w) => {
        w.head(5, 4);
        w.head(0, 1);
        w.text(c.iss);
        w.head(0, 6);
        w.int(c.iat);
        w.head(0, 7);
        w.bytes(c.cti);
        w.int(-65537);
        w.head(5, 6);
        w.head(0, 1);
        w.text(c.doc.type);
        w.head(0, 2);
        w.text(c.doc.number);
        w.head(0, 3);
        w.head(5, n);
        fields(w);
        w.head(0, 4);
        w.bytes(c.doc.hash!);
        w.head(0, 5);
        w.int(c.doc.length!);
        w.head(0, 6);
        w.int(c.doc.status!);
      });
    const good = encodeClaims(c);
    // The writer itself matches the usual layout: with sorted fields it gives the signer's bytes.
    expect(withFields(2, (w) => (w.text('n'), w.text('x'), w.text('nid'), w.text('y')))).toEqual(
      encodeClaims({ ...c, doc: { ...c.doc, fields: { n: 'x', nid: 'y' } } }),
    );
    const cases: Record<string, Uint8Array> = {
      unsortedFields: withFields(2, (w) => (w.text('nid'), w.text('y'), w.text('n'), w.text('x'))),
      duplicateField: withFields(2, (w) => (w.text('n'), w.text('x'), w.text('n'), w.text('y'))),
      floatField: withFields(1, (w) => (w.text('n'), w.head(7, 0x3c00))), // half-precision 1.0
      arrayField: withFields(1, (w) => (w.text('n'), w.head(4, 0))),
      nonShortestFieldCount: (() => {
        const b = withFields(1, (w) => (w.text('n'), w.text('x')));
        const at = Buffer.from(b).indexOf(Buffer.from([0x03, 0xa1, 0x61, 0x6e]));
        return new Uint8Array([...b.slice(0, at + 1), 0xb8, 0x01, ...b.slice(at + 2)]); // map(1) as B8 01
      })(),
      unknownClaim: encodeCbor(new Map<CborKey, CborValue>([...map, [99, 1]])),
      unknownDocKey: encodeCbor(new Map<CborKey, CborValue>([...map, [-65537, new Map<CborKey, CborValue>([...doc, [9, 1]])]])),
      nonShortestIat: (() => {
        const at = good.indexOf(0x06) + 1; // iat: 1A xx xx xx xx -> 1B 00 00 00 00 xx xx xx xx
        expect(good[at]).toBe(0x1a);
        return new Uint8Array([...good.slice(0, at), 0x1b, 0, 0, 0, 0, ...good.slice(at + 1)]);
      })(),
      trailingByte: new Uint8Array([...good, 0x00]),
      taggedPayload: encodeCbor(new Tagged(24, map)),
    };
    // badUtf8: a two-byte text whose bytes are 0xC0 0x80 (an overlong NUL).
    cases['badUtf8'] = (() => {
      const b = withFields(1, (w) => (w.text('n'), w.text('ab')));
      const at = Buffer.from(b).indexOf(Buffer.from([0x62, 0x61, 0x62]));
      b[at + 1] = 0xc0;
      b[at + 2] = 0x80;
      return b;
    })();
    for (const [name, payload] of Object.entries(cases)) {
      const cose = withPayload(base, payload);
      expect({ name, fast: decodeUsualSeal(cose) }).toEqual({ name, fast: undefined });
      expect({ name, general: typeof general(cose) }).toEqual({ name, general: 'string' });
    }
    // Another protected header (alg and kid in a longer form), or a non-empty unprotected header: general path only.
    const m = decodeSign1(sealTextToCose(base));
    const otherHeader = encodeSign1(m.protectedBytes, m.payload, m.signature, new Map([[5, new Uint8Array(12)]]));
    expect(decodeUsualSeal(otherHeader)).toBeUndefined();
  });

  it('100,000 mutated messages: where it answers, the general path gives the same seal', () => {
    const r = rng(0xdec0de);
    const int = (n: number) => Math.floor(r() * n);
    const seeds = [
      claims(),
      claims({ exp: T0 + 30 * DAY }),
      claims({}, { hash: undefined, length: undefined, status: undefined }),
      claims({}, { fields: { a: -5, b: 'x', c: 0, dd: 'ي'.repeat(30) } }),
    ].map((c) => sealTextToCose(seal(c)));
    let answered = 0;
    let mutatedAnswered = 0;
    for (let k = 0; k < 100_000; k++) {
      const src = seeds[k % seeds.length]!;
      let m = src.slice();
      const edits = 1 + int(3);
      for (let e = 0; e < edits; e++) {
        const kind = int(5);
        if (kind === 0) m[int(m.length)] ^= 1 << int(8);
        else if (kind === 1) m[int(m.length)] = int(256);
        else if (kind === 2) m = m.slice(0, int(m.length + 1));
        else if (kind === 3) {
          const i = int(m.length + 1);
          m = new Uint8Array([...m.slice(0, i), int(256), ...m.slice(i)]);
        } else {
          const i = int(m.length);
          m = new Uint8Array([...m.slice(0, i), ...m.slice(i + 1)]);
        }
      }
      const fast = decodeUsualSeal(m);
      if (fast === undefined) continue;
      answered++;
      if (Buffer.compare(Buffer.from(m), Buffer.from(src)) !== 0) mutatedAnswered++;
      const g = general(m);
      if (typeof g === 'string' || JSON.stringify(fast, replacer) !== JSON.stringify(g, replacer)) {
        throw new Error(`fast path disagrees on ${Buffer.from(m).toString('hex')}: general ${typeof g === 'string' ? g : 'decoded'}`);
      }
    }
    console.log(`decode-usual fuzz: fast path answered ${answered} of 100000 mutated messages (${mutatedAnswered} really changed)`);
    // Mutations inside texts, numbers and byte strings keep the layout: the comparison must have been exercised.
    expect(mutatedAnswered).toBeGreaterThan(1000);
  });
});

/** JSON form with bytes and Maps spelled out, for a quick deep comparison in the fuzz loop. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  if (value instanceof Map) return { map: [...value] };
  return value;
}
