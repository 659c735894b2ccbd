// Unit tests of the byte-level Ed25519 pre-checks (core/crypto/policy.ts), independent of any backend.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import {
  assertSeed,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  isSmallOrderEncoding,
  KeyCache,
  precheck,
  SMALL_ORDER_ENCODINGS,
} from '../../../core/crypto/policy.js';

const CORPUS = new URL('../../../../shared/corpus/ed25519/', import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(name, CORPUS)), 'utf8')) as T;

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** 32-byte little-endian encoding of n (n < 2^256). */
function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 255n);
  return out;
}

/** A valid (pk, sig) pair to mutate: RFC 8032 §7.1 TEST 2. */
const PK = fromHex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
const SIG = fromHex(
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
);

function withS(sig: Uint8Array, s: bigint): Uint8Array {
  const out = Uint8Array.from(sig);
  out.set(le32(s), 32);
  return out;
}
function withR(sig: Uint8Array, r: Uint8Array): Uint8Array {
  const out = Uint8Array.from(sig);
  out.set(r, 0);
  return out;
}

describe('isCanonicalScalar (RFC 8032 §5.1.7: S < L)', () => {
  it('accepts 0, 1, L - 1 and rejects L, L + 1, S + L, 2^256 - 1', () => {
    for (const s of [0n, 1n, L - 1n, 2n ** 252n]) expect(isCanonicalScalar(le32(s)), String(s)).toBe(true);
    for (const s of [L, L + 1n, 2n * L, 2n ** 253n, 2n ** 256n - 1n]) expect(isCanonicalScalar(le32(s)), String(s)).toBe(false);
  });

  it('flags a malleated signature (S + L) of a valid one', () => {
    const s = SIG.subarray(32).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    expect(precheck(PK, SIG)).toBeNull();
    expect(precheck(PK, withS(SIG, s + L))).toBe('S_NOT_CANONICAL');
  });
});

describe('isCanonicalPointEncoding (RFC 8032 §5.1.3)', () => {
  it('rejects every y >= p, with either sign bit', () => {
    for (let y = P; y < 2n ** 255n; y++) {
      const e = le32(y);
      expect(isCanonicalPointEncoding(e), toHex(e)).toBe(false);
      e[31]! |= 0x80;
      expect(isCanonicalPointEncoding(e), toHex(e)).toBe(false);
    }
  });

  it('rejects x = 0 with the sign bit set (y = 1 and y = p - 1), accepts them with it clear', () => {
    for (const y of [1n, P - 1n]) {
      const e = le32(y);
      expect(isCanonicalPointEncoding(e)).toBe(true);
      e[31]! |= 0x80;
      expect(isCanonicalPointEncoding(e)).toBe(false);
    }
  });

  it('accepts y just below p and ordinary keys', () => {
    expect(isCanonicalPointEncoding(le32(P - 2n))).toBe(true);
    expect(isCanonicalPointEncoding(PK)).toBe(true);
    expect(isCanonicalPointEncoding(le32(0n))).toBe(true);
  });

  it('agrees with noble strict decoding on every canonical-looking y < 64 and y > p - 64 that is on the curve', () => {
    for (const y of [...Array.from({ length: 64 }, (_, i) => BigInt(i)), ...Array.from({ length: 64 }, (_, i) => P - 1n - BigInt(i))]) {
      for (const sign of [0, 0x80]) {
        const e = le32(y);
        e[31]! |= sign;
        let decodes: boolean;
        try {
          ed.Point.fromBytes(e, false);
          decodes = true;
        } catch {
          decodes = false;
        }
        // Where noble decodes strictly, we must call it canonical; where we reject, noble must too.
        if (decodes) expect(isCanonicalPointEncoding(e), toHex(e)).toBe(true);
        if (!isCanonicalPointEncoding(e)) expect(decodes, toHex(e)).toBe(false);
      }
    }
  });
});

describe('small-order points', () => {
  it('the 8 encodings are distinct canonical points P with [8]P = identity', () => {
    expect(new Set(SMALL_ORDER_ENCODINGS).size).toBe(8);
    for (const hex of SMALL_ORDER_ENCODINGS) {
      const e = fromHex(hex);
      expect(isCanonicalPointEncoding(e)).toBe(true);
      const point = ed.Point.fromBytes(e, false);
      expect(point.toHex()).toBe(hex);
      expect(point.multiply(8n, false).is0()).toBe(true);
      expect(isSmallOrderEncoding(e)).toBe(true);
    }
  });

  it('the base point and an ordinary key are not small order', () => {
    expect(isSmallOrderEncoding(ed.Point.BASE.toBytes())).toBe(false);
    expect(isSmallOrderEncoding(PK)).toBe(false);
  });

  it('precheck names small-order A and R', () => {
    const identity = fromHex(SMALL_ORDER_ENCODINGS[0]!);
    expect(precheck(identity, SIG)).toBe('A_SMALL_ORDER');
    expect(precheck(PK, withR(SIG, fromHex(SMALL_ORDER_ENCODINGS[5]!)))).toBe('R_SMALL_ORDER');
  });
});

describe('precheck on the CCTV vectors', () => {
  interface CctvVector {
    number: number;
    key: string;
    sig: string;
    flags: string[] | null;
  }
  const CCTV = readJson<CctvVector[]>('cctv-validation/VALIDATIONVECTORS.json');
  const PRECHECKED = ['non_canonical_A', 'non_canonical_R', 'low_order_A', 'low_order_R'];

  it('fails exactly the vectors flagged non-canonical or small-order in A or R', () => {
    const mismatches: number[] = [];
    for (const v of CCTV) {
      const expectedFail = (v.flags ?? []).some((f) => PRECHECKED.includes(f));
      if ((precheck(fromHex(v.key), fromHex(v.sig)) !== null) !== expectedFail) mismatches.push(v.number);
    }
    expect(CCTV).toHaveLength(914);
    expect(mismatches).toEqual([]);
  });
});

describe('lengths and types', () => {
  it('names the failing length', () => {
    expect(precheck(PK.subarray(1), SIG)).toBe('PUBLIC_KEY_LENGTH');
    expect(precheck(PK, SIG.subarray(1))).toBe('SIGNATURE_LENGTH');
    expect(precheck('pk', SIG)).toBe('PUBLIC_KEY_LENGTH');
    expect(precheck(PK, [...SIG])).toBe('SIGNATURE_LENGTH');
  });

  it('assertSeed throws INVALID_ARGUMENT on anything but 32 bytes', () => {
    expect(() => assertSeed(new Uint8Array(32))).not.toThrow();
    for (const bad of [new Uint8Array(31), new Uint8Array(33), 'x'.repeat(32), null]) {
      expect(() => assertSeed(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('KeyCache', () => {
  it('keeps at most max entries and evicts the oldest first', () => {
    const cache = new KeyCache<number>(3);
    for (const [k, v] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ] as const)
      cache.set(k, v);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([2, 3, 4]);
    cache.set('b', 20); // overwrite does not evict
    expect(cache.size).toBe(3);
    expect(cache.get('c')).toBe(3);
  });
});
