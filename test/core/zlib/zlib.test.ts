// Tests for core/zlib: interop with node:zlib both ways, determinism, size bounds, strictness and fuzzing.

import { constants, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UrsealError } from '../../../core/errors.js';
import { codeLengths, deflateGeneral, deflateSmallFixed, deflateSmallThreePass, deflateView } from '../../../core/zlib/deflate.js';
import { adler32, deflate, inflate } from '../../../core/zlib/index.js';

const BIG = 1 << 24;
const enc = new TextEncoder();

/** Byte equality through Buffer (vitest's deep equality is slow on megabyte arrays). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

/**
 * A CBOR-like seal body: small map keys, Arabic and English UTF-8 text, serial numbers, a SHA-256 and
 * an Ed25519 signature's worth of random bytes (the incompressible part of a real seal).
 */
function sealLike(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const words = [
    'محمد أحمد علي',
    'وزارة الداخلية',
    'شهادة ميلاد',
    'بغداد',
    'الكرخ',
    'رقم الوثيقة',
    'فاطمة حسن',
    'تاريخ الإصدار',
    'Ministry of Interior',
    'Birth certificate',
  ];
  const parts: number[] = [0xd2, 0x84, 0x4d, 0xa2, 0x01, 0x27, 0x04, 0x48];
  for (let i = 0; i < 8; i++) parts.push((r() * 256) | 0);
  parts.push(0xa0, 0x59, n >> 8, n & 255, 0xa5, 0x01, 0x66, ...enc.encode('MOI-IQ'));
  while (parts.length < n - 100) {
    parts.push(1 + ((r() * 20) | 0));
    const t = enc.encode(`${words[(r() * words.length) | 0]} ${(r() * 100000) | 0}`);
    parts.push(0x60 + Math.min(t.length, 23), ...t);
  }
  while (parts.length < n) parts.push((r() * 256) | 0);
  return Uint8Array.from(parts.slice(0, n));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

function expectMalformed(f: () => unknown, reason?: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(UrsealError);
  expect((caught as UrsealError).code).toBe('MALFORMED');
  if (reason) expect((caught as UrsealError).message).toMatch(reason);
}

/** LSB-first bit writer for hand-made DEFLATE streams (RFC 1951 §3.1.1). */
class Bits {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >> i) & 1) << this.n;
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
    return this;
  }
  /** A Huffman code, most significant bit first (RFC 1951 §3.1.1). */
  code(value: number, len: number): this {
    for (let i = len - 1; i >= 0; i--) this.put((value >> i) & 1, 1);
    return this;
  }
  raw(...b: number[]): this {
    if (this.n > 0) this.put(0, 8 - this.n);
    this.bytes.push(...b);
    return this;
  }
  done(): Uint8Array {
    if (this.n > 0) this.put(0, 8 - this.n);
    return Uint8Array.from(this.bytes);
  }
}

/** Wrap raw DEFLATE bytes as zlib: header 78 9C, Adler-32 of `content` (default: empty). */
function wrap(deflateBytes: Uint8Array, content: Uint8Array = new Uint8Array(0), cmf = 0x78, flg = 0x9c): Uint8Array {
  const a = adler32(content);
  return Uint8Array.from([cmf, flg, ...deflateBytes, a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]);
}

/** Fixed literal/length code (RFC 1951 §3.2.6) written onto `b`. */
function fixedLiteral(b: Bits, sym: number): Bits {
  if (sym < 144) return b.code(0x30 + sym, 8);
  if (sym < 256) return b.code(0x190 + sym - 144, 9);
  if (sym < 280) return b.code(sym - 256, 7);
  return b.code(0xc0 + sym - 280, 8);
}

const SAMPLES: Record<string, Uint8Array> = {
  empty: new Uint8Array(0),
  oneByte: Uint8Array.of(42),
  text: enc.encode('The quick brown fox jumps over the lazy dog. '.repeat(50)),
  arabic: enc.encode('وزارة الداخلية — شهادة ميلاد رقم ١٢٣٤٥ '.repeat(30)),
  random: randomBytes(5000, 1),
  zeros: new Uint8Array(70_000),
  periodic: Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251),
  seal: sealLike(500, 2),
  mixed: Uint8Array.from({ length: 40_000 }, (_, i) => (i % 3000 < 1500 ? (i * 31) & 255 : (i * 2654435761) >>> 24)),
};

describe('inflate of node:zlib output', () => {
  const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];
  test('every level and strategy, every sample', () => {
    for (const [name, x] of Object.entries(SAMPLES)) {
      for (let level = 0; level <= 9; level++) {
        for (const strategy of strategies) {
          const z = deflateSync(x, { level, strategy });
          const y = inflate(z, x.length);
          expect(same(y, x), `${name} level ${level} strategy ${strategy}`).toBe(true);
        }
      }
    }
  });

  test('every window size and memory level', () => {
    for (const [name, x] of Object.entries(SAMPLES)) {
      for (let windowBits = 9; windowBits <= 15; windowBits++) {
        for (const memLevel of [1, 8, 9]) {
          const z = deflateSync(x, { level: 9, windowBits, memLevel });
          expect(same(inflate(z, x.length), x), `${name} windowBits ${windowBits}`).toBe(true);
        }
      }
    }
  });

  test('1 MB input', () => {
    const x = new Uint8Array(1 << 20);
    const r = prng(3);
    for (let i = 0; i < x.length;) {
      // Runs of text, repeats and noise, so every block type and long distances occur.
      const kind = r();
      const n = Math.min(x.length - i, 1 + ((r() * 4000) | 0));
      for (let k = 0; k < n; k++, i++) {
        x[i] = kind < 0.3 ? (r() * 256) | 0 : kind < 0.7 ? 97 + ((i >> 3) % 26) : i > 40000 ? x[i - 32768]! : 0;
      }
    }
    for (const level of [0, 1, 6, 9]) {
      expect(same(inflate(deflateSync(x, { level }), x.length), x), `level ${level}`).toBe(true);
    }
    const ours = deflate(x);
    expect(same(inflateSync(ours), x)).toBe(true);
    expect(same(inflate(ours, x.length), x)).toBe(true);
  });
});

describe('deflate', () => {
  test('node:zlib inflates our output to the input, and so do we', () => {
    for (const [name, x] of Object.entries(SAMPLES)) {
      const z = deflate(x);
      expect(z[0]).toBe(0x78);
      expect(same(inflateSync(z), x), name).toBe(true);
      expect(same(inflate(z, x.length), x), name).toBe(true);
    }
  });

  test('empty input is the 8-byte stream zlib makes', () => {
    expect(Array.from(deflate(new Uint8Array(0)))).toEqual([0x78, 0xda, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
  });

  test('round trip: inflate(deflate(x)) == x (property)', () => {
    const run = fc.record({
      chunk: fc.uint8Array({ minLength: 1, maxLength: 24 }),
      times: fc.integer({ min: 1, max: 40 }),
    });
    const repetitive = fc.array(run, { maxLength: 30 }).map((runs) => {
      const parts: number[] = [];
      for (const { chunk, times } of runs) for (let t = 0; t < times; t++) parts.push(...chunk);
      return Uint8Array.from(parts);
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), repetitive), (x) => {
        const z = deflate(x);
        return same(inflate(z, x.length), x) && same(inflateSync(z), x);
      }),
      { numRuns: 400 },
    );
  });

  test('code lengths: complete, at most the limit, ties by symbol (package-merge when Huffman is too deep)', () => {
    const check = (freq: Uint32Array, limit: number): void => {
      const lengths = codeLengths(freq, limit);
      let kraft = 0;
      let codes = 0;
      for (let s = 0; s < freq.length; s++) {
        if (freq[s]! > 0) expect(lengths[s]).toBeGreaterThan(0);
        if (lengths[s]! > 0) {
          expect(lengths[s]).toBeLessThanOrEqual(limit);
          kraft += 2 ** -lengths[s]!;
          codes++;
        }
      }
      expect(codes).toBeGreaterThanOrEqual(2);
      expect(kraft).toBe(1);
    };
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 16383 }), { minLength: 2, maxLength: 286 }), fc.constantFrom(7, 15), (f, limit) => {
        fc.pre(f.length <= 2 ** limit);
        check(Uint32Array.from(f), limit);
      }),
      { numRuns: 300 },
    );
    // Fibonacci frequencies make the Huffman tree as deep as possible: 19 symbols would need 18 bits.
    const fib = [1, 1];
    while (fib.length < 30) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    check(Uint32Array.from(fib.slice(0, 19)), 7);
    check(Uint32Array.from(fib.slice(0, 30)), 15);
    // Package-merge is optimal: for 1, 1, 2, 4 under limit 2 every symbol gets 2 bits.
    expect(Array.from(codeLengths(Uint32Array.of(1, 1, 2, 4), 2))).toEqual([2, 2, 2, 2]);
    expect(Array.from(codeLengths(Uint32Array.of(1, 1, 2, 4), 3))).toEqual([3, 3, 2, 1]);
  });

  test('skewed byte frequencies (deep Huffman trees) decode everywhere', () => {
    // Byte b appears fib(b) times, shuffled. (LZ77 matches flatten each block's literal counts, so the
    // 15-bit limit itself is exercised through codeLengths above.)
    const counts = [1, 1];
    while (counts.length < 24) counts.push(counts[counts.length - 1]! + counts[counts.length - 2]!);
    const bytes: number[] = [];
    counts.forEach((c, b) => {
      for (let i = 0; i < c; i++) bytes.push(b * 11);
    });
    const r = prng(6);
    for (let i = bytes.length - 1; i > 0; i--) {
      const j = (r() * (i + 1)) | 0;
      [bytes[i], bytes[j]] = [bytes[j]!, bytes[i]!];
    }
    const x = Uint8Array.from(bytes);
    const z = deflate(x);
    expect(same(inflateSync(z), x)).toBe(true);
    expect(same(inflate(z, x.length), x)).toBe(true);
  });

  test('deterministic: the same input gives the same bytes', () => {
    for (const x of Object.values(SAMPLES)) expect(same(deflate(x), deflate(x.slice()))).toBe(true);
  });

  test('size on seal-like CBOR with Arabic text is within 5% of node:zlib level 9', () => {
    const rows: string[] = [];
    let ours = 0;
    let node = 0;
    for (const n of [200, 300, 500, 700, 1000]) {
      for (let seed = 1; seed <= 10; seed++) {
        const x = sealLike(n, seed);
        ours += deflate(x).length;
        node += deflateSync(x, { level: 9 }).length;
      }
      rows.push(`${n} B: ours ${ours} / node ${node}`);
    }
    const big = sealLike(100_000, 9);
    const bigOurs = deflate(big).length;
    const bigNode = deflateSync(big, { level: 9 }).length;
    console.log(
      `zlib size vs node level 9 (cumulative, 10 samples each): ${rows.join('; ')}; ` +
        `ratio ${(ours / node).toFixed(4)}; ` +
        `100 KB: ${bigOurs} / ${bigNode} = ${(bigOurs / bigNode).toFixed(4)}`,
    );
    expect(ours / node).toBeLessThan(1.05);
    expect(bigOurs / bigNode).toBeLessThan(1.05);
  });
});

/** CBOR head (RFC 8949 §3) of major type `major` and argument `n` (< 65536). */
function cborHead(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  return [(major << 5) | 25, n >> 8, n & 255];
}

/**
 * Random seal-like COSE_Sign1 bytes: a protected header with an 8-byte kid, a claims map of Arabic
 * and ASCII text fields and numbers, a 6-byte serial, a 32-byte document hash, and a 64-byte signature.
 */
const sealArbitrary = (() => {
  const arabic = fc.constantFrom(
    'عبد الرحمن',
    'بن',
    'خالد',
    'سعد',
    'العتيبي',
    'المدينة المنورة',
    'سعودي',
    'وزارة العدل',
    'وكالة',
    'كتابة العدل الأولى بالرياض',
    'سارة',
    'القحطاني',
  );
  const value = fc.oneof(
    fc.array(arabic, { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
    fc.integer({ min: 0, max: 999_999_999 }).map(String),
    fc.constantFrom('1990-04-17', '2026-01-02', 'MOJ', 'poa'),
  );
  return fc
    .record({
      kid: fc.uint8Array({ minLength: 8, maxLength: 8 }),
      serial: fc.uint8Array({ minLength: 6, maxLength: 6 }),
      iat: fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
      fields: fc.array(fc.tuple(fc.constantFrom('n', 'nid', 'dob', 'pob', 'nat', 'a', 'c', 'd'), value), {
        minLength: 1,
        maxLength: 14,
      }),
      hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    })
    .map(({ kid, serial, iat, fields, hash, signature }) => {
      const text = (s: string): number[] => {
        const b = enc.encode(s);
        return [...cborHead(3, b.length), ...b];
      };
      const bytes = (b: Uint8Array): number[] => [...cborHead(2, b.length), ...b];
      const protectedHeader = [0xa2, 0x01, 0x27, 0x04, ...bytes(kid)];
      const fieldMap = [...cborHead(5, fields.length)];
      for (const [k, v] of fields) fieldMap.push(...text(k), ...text(v));
      const payload = [0xa4, 0x01, ...text('MOJ'), 0x06, 0x1a, iat >>> 24, (iat >> 16) & 255, (iat >> 8) & 255, iat & 255];
      payload.push(0x07, ...bytes(serial), 0x3a, 0xa4, ...text('poa'), ...fieldMap, ...text('hash'), ...bytes(hash));
      payload.push(...text('len'), 0x1a, 0x00, 0x07, 0x5b, 0x41);
      return Uint8Array.from([
        0xd2,
        0x84,
        ...bytes(Uint8Array.from(protectedHeader)),
        0xa0,
        ...bytes(Uint8Array.from(payload)),
        ...bytes(signature),
      ]);
    });
})();

describe('deflate fast path (inputs up to 2 KB)', () => {
  /** BTYPE of the first block (RFC 1951 §3.2.3): 0 stored, 1 fixed, 2 dynamic. */
  const blockType = (z: Uint8Array): number => (z[2]! >> 1) & 3;

  test('fast and general paths both round-trip through node:zlib, around 2 KB and for every block type', () => {
    const patterns: Record<string, (n: number) => Uint8Array> = {
      random: (n) => randomBytes(n, n),
      zeros: (n) => new Uint8Array(n),
      text: (n) => SAMPLES.text!.subarray(0, n),
      arabic: (n) => SAMPLES.arabic!.subarray(0, n),
      seal: (n) => sealLike(n, n),
    };
    const types = new Set<number>();
    for (const n of [0, 1, 2, 3, 4, 5, 17, 100, 322, 380, 1000, 1500, 2047, 2048, 2049, 2100]) {
      for (const [name, make] of Object.entries(patterns)) {
        const x = make(n);
        if (x.length !== n) continue;
        const fast = deflate(x);
        const general = deflateGeneral(x);
        for (const [path, z] of [
          ['deflate', fast],
          ['deflateGeneral', general],
        ] as const) {
          expect(same(inflateSync(z), x), `${path} ${name} ${n}`).toBe(true);
          expect(same(inflate(z, n), x), `${path} ${name} ${n}`).toBe(true);
        }
        if (n <= 2048) types.add(blockType(fast));
        // Above 2 KB deflate is the general path.
        if (n > 2048) expect(same(fast, general), `${name} ${n}`).toBe(true);
      }
    }
    expect([...types].sort()).toEqual([0, 1, 2]);
  });

  test("seal-like inputs: round trip, deterministic, the general path's size (property)", () => {
    let fastTotal = 0;
    let generalTotal = 0;
    let nodeTotal = 0;
    let worst = 0;
    fc.assert(
      fc.property(sealArbitrary, (x) => {
        const z = deflate(x);
        expect(x.length).toBeLessThanOrEqual(2048);
        expect(same(inflateSync(z), x)).toBe(true);
        expect(same(inflate(z, x.length), x)).toBe(true);
        // Scratch space reused by another input in between changes nothing.
        deflate(randomBytes(x.length, x.length));
        expect(same(deflate(x.slice()), z)).toBe(true);
        const generalBytes = deflateGeneral(x);
        expect(same(inflateSync(generalBytes), x)).toBe(true);
        const general = generalBytes.length;
        fastTotal += z.length;
        generalTotal += general;
        nodeTotal += deflateSync(x, { level: 9 }).length;
        worst = Math.max(worst, z.length - general);
      }),
      { numRuns: 300 },
    );
    console.log(
      `deflate fast path on 300 random seals: ${fastTotal} bytes, general path ${generalTotal}, ` +
        `node level 9 ${nodeTotal}; worst seal ${worst} bytes over the general path`,
    );
    expect(fastTotal / generalTotal).toBeLessThan(1.005);
    expect(worst).toBeLessThanOrEqual(4);
  });

  test('the one-pass fixed-code path gives the three-pass bytes, on every kind of input up to 2 KB', () => {
    const r = prng(77);
    const kinds: Record<string, (n: number, seed: number) => Uint8Array> = {
      random: (n, seed) => randomBytes(n, seed),
      seal: (n, seed) => sealLike(n, seed),
      text: (n, seed) => SAMPLES.text!.subarray(seed % 50, (seed % 50) + n),
      arabic: (n, seed) => SAMPLES.arabic!.subarray(seed % 50, (seed % 50) + n),
      zeros: (n) => new Uint8Array(n),
      fewSymbols: (n, seed) => randomBytes(n, seed).map((b) => 0x41 + (b & 3)),
      highBytes: (n, seed) => randomBytes(n, seed).map((b) => 0x90 | (b & 0x6f)),
    };
    let compared = 0;
    for (const [name, make] of Object.entries(kinds)) {
      for (let k = 0; k < 60; k++) {
        const n = k < 8 ? k : Math.floor(r() * 2049);
        const x = make(n, k + 1);
        if (x.length !== n) continue;
        expect(same(deflate(x), deflateSmallThreePass(x)), `${name} ${n}`).toBe(true);
        compared++;
      }
    }
    for (let seed = 1; seed <= 200; seed++) {
      const x = sealLike(250 + seed, seed);
      expect(same(deflate(x), deflateSmallThreePass(x)), `seal ${seed}`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
    // The one-pass path answers for seals, and leaves skewed data (a dynamic block wins) to the three passes.
    let answered = 0;
    for (let seed = 1; seed <= 50; seed++) if (deflateSmallFixed(sealLike(322, seed)) !== undefined) answered++;
    expect(answered).toBeGreaterThan(45);
    expect(deflateSmallFixed(randomBytes(500, 9).map((b) => 0x41 + (b & 3)))).toBeUndefined(); // four letters: dynamic codes win
  });

  test('deflateView gives the bytes of deflate, in a buffer the next call reuses', () => {
    const a = sealLike(322, 1);
    const b = sealLike(400, 2);
    const za = deflate(a);
    const va = deflateView(a);
    expect(same(va, za)).toBe(true);
    const copy = va.slice();
    deflateView(b);
    expect(same(copy, za)).toBe(true);
    const big = randomBytes(3000, 3);
    expect(same(deflateView(big), deflate(big))).toBe(true);
  });

  test('typical seal sizes: the fast path is as small as the general path', () => {
    let fast = 0;
    let general = 0;
    for (const n of [200, 300, 380, 500, 700, 1000, 1500, 2000]) {
      for (let seed = 1; seed <= 10; seed++) {
        const x = sealLike(n, seed);
        fast += deflate(x).length;
        general += deflateGeneral(x).length;
      }
    }
    expect(fast / general).toBeLessThan(1.005);
  });

  test('hash table reuse across a million calls (generation counter wrap) changes no output', () => {
    const seal = sealLike(380, 5);
    const before = deflate(seal);
    const tiny = Uint8Array.of(1, 2, 3);
    // Each call advances the hash table's generation by 2048; 2^31 / 2048 calls pass the reset.
    for (let i = 0; i < 2 ** 31 / 2048 + 10; i++) deflate(tiny);
    expect(same(deflate(seal), before)).toBe(true);
    expect(same(inflateSync(deflate(seal)), seal)).toBe(true);
  });
});

describe('bounds', () => {
  test('output of exactly maxOutput passes; one byte less fails', () => {
    const x = SAMPLES.text!;
    const z = deflateSync(x);
    expect(inflate(z, x.length).length).toBe(x.length);
    expectMalformed(() => inflate(z, x.length - 1), /output larger than/);
    expectMalformed(() => inflate(deflateSync(Uint8Array.of(1)), 0), /output larger than/);
  });

  test('a 100 MB zip bomb stops at maxOutput without allocating the rest', () => {
    // Hand-made: one literal, then 400k matches of length 258 at distance 1 (13 bits each, fixed code).
    const b = new Bits().put(1, 1).put(1, 2);
    fixedLiteral(b, 0);
    const matches = Math.ceil((100 << 20) / 258);
    for (let i = 0; i < matches; i++) fixedLiteral(b, 285).code(0, 5);
    fixedLiteral(b, 256);
    const bomb = wrap(b.done());
    const maxOutput = 4 << 20;
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    expectMalformed(() => inflate(bomb, maxOutput), /output larger than 4194304 bytes/);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(performance.now() - t0).toBeLessThan(1000);
    // Geometric growth: at most the final maxOutput buffer plus the ones it replaced.
    expect(grown).toBeLessThan(3 * maxOutput);
  });

  test('node:zlib bomb of 10 MB of zeros with maxOutput 4 MB', () => {
    const bomb = deflateSync(new Uint8Array(10 << 20), { level: 9 });
    expectMalformed(() => inflate(bomb, 4 << 20), /output larger than/);
  });

  test('maxOutput must be a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => inflate(deflate(Uint8Array.of(1)), bad)).toThrow(
        expect.objectContaining({ name: 'UrsealError', code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});

describe('strictness', () => {
  const valid = deflate(SAMPLES.text!);

  test('known answers: Adler-32 and a stored stream', () => {
    expect(adler32(enc.encode('Wikipedia'))).toBe(0x11e60398); // RFC 1950 §8.2 worked example (Wikipedia)
    expect(adler32(new Uint8Array(0))).toBe(1);
    const stored = wrap(Uint8Array.of(0x01, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63), enc.encode('abc'));
    expect(Array.from(inflate(stored, 10))).toEqual([0x61, 0x62, 0x63]);
  });

  test('bad header: CM, CINFO, FCHECK', () => {
    expectMalformed(() => inflate(Uint8Array.of(0x78, 0x9d, 0x03, 0, 0, 0, 0, 1), 10), /bad header/);
    expectMalformed(() => inflate(Uint8Array.of(0x77, 0x9c, 0x03, 0, 0, 0, 0, 1), 10), /bad header/);
    // CINFO = 8 (a 64 KB window) with a correct FCHECK: RFC 1950 §2.2 forbids it.
    const cmf = 0x88;
    const flg = 31 - ((cmf * 256) % 31);
    expectMalformed(() => inflate(Uint8Array.of(cmf, flg, 0x03, 0, 0, 0, 0, 1), 10), /bad header/);
    expectMalformed(() => inflate(Uint8Array.of(0x78), 10), /truncated/);
    expectMalformed(() => inflate(new Uint8Array(0), 10), /truncated/);
  });

  test('preset dictionary (FDICT) is rejected', () => {
    let flg = 0x20 | 0x80;
    flg += (31 - ((0x78 * 256 + flg) % 31)) % 31;
    expect((0x78 * 256 + flg) % 31).toBe(0);
    expectMalformed(() => inflate(Uint8Array.of(0x78, flg, 0, 0, 0, 1, 0x03, 0, 0, 0, 0, 1), 10), /dictionary/);
  });

  test('bad checksum', () => {
    const z = valid.slice();
    z[z.length - 1] ^= 1;
    expectMalformed(() => inflate(z, BIG), /checksum/);
  });

  test('every truncation of a valid stream fails', () => {
    for (const z of [valid, deflateSync(SAMPLES.seal!), deflateSync(SAMPLES.seal!, { level: 0 })]) {
      for (let n = 0; n < z.length; n++) expectMalformed(() => inflate(z.subarray(0, n), BIG));
    }
  });

  test('trailing bytes after the Adler-32 are rejected', () => {
    expectMalformed(() => inflate(Uint8Array.from([...valid, 0]), BIG), /trailing/);
  });

  test('non-zero padding bits before a byte boundary are rejected', () => {
    // Empty fixed block: 10 bits, then 6 padding bits that must be zero.
    const empty = deflate(new Uint8Array(0));
    expect(inflate(empty, 10).length).toBe(0);
    const padded = empty.slice();
    padded[3] |= 0x80;
    expectMalformed(() => inflate(padded, 10), /padding/);
    // Stored block: the 5 bits after its 3-bit header.
    const stored = wrap(Uint8Array.of(0x01 | 0x10, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63), enc.encode('abc'));
    expectMalformed(() => inflate(stored, 10), /padding/);
  });

  test('block type 3 is rejected', () => {
    expectMalformed(() => inflate(wrap(Uint8Array.of(0x07)), 10), /block type/);
  });

  test('stored block with NLEN not the complement of LEN', () => {
    const z = wrap(Uint8Array.of(0x01, 0x03, 0x00, 0xfc, 0xfe, 0x61, 0x62, 0x63), enc.encode('abc'));
    expectMalformed(() => inflate(z, 10), /length mismatch/);
  });

  test('distance beyond the output', () => {
    // Fixed block: literal 'a', then length 3 at distance 2 (only one byte written so far).
    const b = new Bits().put(1, 1).put(1, 2);
    fixedLiteral(b, 0x61);
    fixedLiteral(b, 257).code(1, 5);
    fixedLiteral(b, 256);
    expectMalformed(() => inflate(wrap(b.done()), 100), /too far/);
  });

  test('distance beyond the window declared by CINFO', () => {
    // CINFO = 0: a 256-byte window. 300 stored bytes, then a match at distance 257.
    const cmf = 0x08;
    const flg = (31 - ((cmf * 256) % 31)) % 31;
    const content = randomBytes(300, 4);
    const b = new Bits()
      .put(0, 1)
      .put(0, 2)
      .raw(300 & 255, 300 >> 8, ~300 & 255, (~300 >> 8) & 255, ...content);
    b.put(1, 1).put(1, 2);
    // Distance 257 = symbol 16 (base 257, 7 extra bits = 0); length 3 = symbol 257.
    fixedLiteral(b, 257).code(16, 5).put(0, 7);
    fixedLiteral(b, 256);
    const full = Uint8Array.from([...content, ...content.subarray(300 - 257, 300 - 257 + 3)]);
    expectMalformed(() => inflate(wrap(b.done(), full, cmf, flg), 1000), /too far/);
    // The same stream under CINFO = 7 is fine.
    expect(same(inflate(wrap(b.done(), full), 1000), full)).toBe(true);
  });

  test('fixed-code symbols 286, 287 and distance symbols 30, 31 are invalid', () => {
    for (const sym of [286, 287]) {
      const b = new Bits().put(1, 1).put(1, 2);
      fixedLiteral(b, 0x61);
      fixedLiteral(b, sym).code(0, 5);
      fixedLiteral(b, 256);
      expectMalformed(() => inflate(wrap(b.done()), 100), /invalid length symbol/);
    }
    for (const dsym of [30, 31]) {
      const b = new Bits().put(1, 1).put(1, 2);
      fixedLiteral(b, 0x61);
      fixedLiteral(b, 257).code(dsym, 5);
      fixedLiteral(b, 256);
      expectMalformed(() => inflate(wrap(b.done()), 100), /invalid distance symbol/);
    }
  });

  /** Start of a final dynamic block (RFC 1951 §3.2.7) with the given code-length code lengths. */
  function dynamicHeader(hlit: number, hdist: number, clLengths: number[]): Bits {
    const b = new Bits().put(1, 1).put(2, 2);
    b.put(hlit - 257, 5)
      .put(hdist - 1, 5)
      .put(clLengths.length - 4, 4);
    for (const l of clLengths) b.put(l, 3);
    return b;
  }

  test('over-subscribed and incomplete code-length codes', () => {
    // 19 code-length codes of 1 bit: over-subscribed.
    expectMalformed(() => inflate(wrap(dynamicHeader(257, 1, new Array(19).fill(1)).done()), 10), /over-subscribed/);
    // Only symbol 16 has a code (1 bit): incomplete, which zlib rejects for the code-length code.
    expectMalformed(() => inflate(wrap(dynamicHeader(257, 1, [1, 0, 0, 0]).done()), 10), /incomplete/);
  });

  test('too many literal/length or distance codes', () => {
    expectMalformed(() => inflate(wrap(dynamicHeader(287, 1, [2, 2, 2, 2]).done()), 10), /too many/);
    expectMalformed(() => inflate(wrap(dynamicHeader(257, 31, [2, 2, 2, 2]).done()), 10), /too many/);
  });

  /**
   * Code-length code in CODE_LENGTH_ORDER (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15):
   * symbols 0, 1, 8, 18 get 2 bits each. Canonical codes: 0 -> 00, 1 -> 01, 8 -> 10, 18 -> 11.
   */
  const CL = [0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
  const L0 = (b: Bits): Bits => b.code(0, 2);
  const L1 = (b: Bits): Bits => b.code(1, 2);
  const L8 = (b: Bits): Bits => b.code(2, 2);
  const ZEROS = (b: Bits, n: number): Bits => b.code(3, 2).put(n - 11, 7);

  test('a literal/length code without end-of-block, or incomplete, or over-subscribed', () => {
    // 256 lengths of 8 (symbols 0..255), then 0 for 256: no end-of-block code.
    let b = dynamicHeader(257, 1, CL);
    for (let i = 0; i < 256; i++) L8(b);
    L0(b);
    L1(b);
    expectMalformed(() => inflate(wrap(b.done()), 10), /end-of-block/);
    // 128 lengths of 8 and end-of-block 8: incomplete (only 129 of 256 codes).
    b = dynamicHeader(257, 1, CL);
    for (let i = 0; i < 128; i++) L8(b);
    ZEROS(b, 128);
    L8(b);
    L1(b);
    expectMalformed(() => inflate(wrap(b.done()), 10), /incomplete/);
    // Symbol 0 and 256 with 1 bit, and 1 with 8: over-subscribed.
    b = dynamicHeader(257, 1, CL);
    L1(b);
    L8(b);
    ZEROS(b, 138);
    ZEROS(b, 116);
    L1(b);
    L1(b);
    expectMalformed(() => inflate(wrap(b.done()), 10), /over-subscribed/);
  });

  test('one-code trees zlib accepts: a single distance code, or only end-of-block', () => {
    // Literals 0 and 256 with 1 bit each; a single distance code (symbol 0, 1 bit): zlib accepts it.
    let b = dynamicHeader(257, 1, CL);
    L1(b);
    ZEROS(b, 138);
    ZEROS(b, 117);
    L1(b);
    L1(b);
    // Data: literal 0 (code 0), match length... no length codes exist, so: literal 0, literal 0, EOB (code 1).
    b.code(0, 1).code(0, 1).code(1, 1);
    const z = wrap(b.done(), Uint8Array.of(0, 0));
    expect(Array.from(inflate(z, 10))).toEqual([0, 0]);
    expect(Array.from(inflateSync(z))).toEqual([0, 0]);
    // Only end-of-block, with a 1-bit code (incomplete literal/length code) and no distance code at all.
    b = dynamicHeader(257, 1, CL);
    ZEROS(b, 138);
    ZEROS(b, 118);
    L1(b);
    L0(b);
    b.code(0, 1);
    const empty = wrap(b.done());
    expect(inflate(empty, 10).length).toBe(0);
    expect(inflateSync(empty).length).toBe(0);
  });

  test('a length repeat with no previous length, and repeats past the end', () => {
    // Symbols 16, 18, 0 and 7 get 2 bits: 0 -> 00, 7 -> 01, 16 -> 10, 18 -> 11. Start with a 16.
    let b = dynamicHeader(257, 1, [2, 0, 2, 2, 0, 2]);
    b.code(2, 2).put(0, 2);
    expectMalformed(() => inflate(wrap(b.done()), 10), /no previous length/);
    b = dynamicHeader(257, 1, CL);
    ZEROS(b, 138);
    ZEROS(b, 138);
    expectMalformed(() => inflate(wrap(b.done()), 10), /past the end/);
  });
});

describe('fuzz', () => {
  /** Seed streams: ours and node's, every block type, both trees' shapes. */
  function fuzzSeeds(): Uint8Array[] {
    const seeds: Uint8Array[] = [];
    const inputs = [SAMPLES.seal!, SAMPLES.text!.subarray(0, 600), SAMPLES.arabic!.subarray(0, 400), sealLike(300, 7)];
    for (const x of inputs) {
      seeds.push(deflate(x), deflateSync(x, { level: 9 }), deflateSync(x, { level: 1 }), deflateSync(x, { level: 0 }));
      seeds.push(deflateSync(x, { strategy: constants.Z_FIXED }));
      seeds.push(deflateSync(x, { strategy: constants.Z_HUFFMAN_ONLY }));
    }
    seeds.push(deflate(new Uint8Array(0)), deflate(randomBytes(200, 5)));
    return seeds;
  }

  /** 1-4 random edits: bit flips, byte changes, truncation, splices from another seed, deletions. */
  function mutate(input: Uint8Array, r: () => number, seeds: Uint8Array[]): Uint8Array {
    const edits = 1 + ((r() * 4) | 0);
    for (let e = 0; e < edits && input.length > 0; e++) {
      const op = r();
      const at = (r() * input.length) | 0;
      if (op < 0.5) {
        input[at] ^= 1 << ((r() * 8) | 0);
      } else if (op < 0.65) {
        input = input.slice(0, at);
      } else if (op < 0.8) {
        const other = seeds[(r() * seeds.length) | 0]!;
        const from = (r() * other.length) | 0;
        input = concat(input.subarray(0, at), other.subarray(from, from + ((r() * 40) | 0)));
      } else if (op < 0.9) {
        input[at] = (r() * 256) | 0;
      } else {
        input = concat(input.subarray(0, at), input.subarray(at + 1 + ((r() * 4) | 0)));
      }
    }
    return input;
  }

  test('100,000 random and mutated inputs: only MALFORMED, and the same verdict as node:zlib', () => {
    const r = prng(20261126);
    const seeds = fuzzSeeds();
    const maxOutput = 1 << 16;
    let accepted = 0;
    let compared = 0;
    for (let i = 0; i < 100_000; i++) {
      const kind = r();
      let input: Uint8Array;
      // Set when the DEFLATE data was mutated and node:zlib's raw inflate decides what it means.
      let body: Uint8Array | undefined;
      let theirs: Uint8Array | undefined;
      if (kind < 0.05) {
        input = randomBytes((r() * 64) | 0, i);
      } else if (kind < 0.15) {
        input = randomBytes(2 + ((r() * 300) | 0), i);
        input[0] = 0x78;
        input[1] = 0x9c;
      } else if (kind < 0.7) {
        // Mutate anywhere: header, data and trailer.
        input = mutate(seeds[(r() * seeds.length) | 0]!.slice(), r, seeds);
      } else {
        // Mutate the DEFLATE data only, then give it the Adler-32 of what node:zlib decodes, so that
        // most mutants get past the checksum and the decoders' verdicts on the data itself are compared.
        const seed = seeds[(r() * seeds.length) | 0]!;
        body = mutate(seed.slice(2, seed.length - 4), r, seeds);
        try {
          theirs = inflateRawSync(body, { maxOutputLength: maxOutput });
        } catch {
          theirs = undefined;
        }
        input = wrap(body, theirs ?? new Uint8Array(0));
      }
      let ours: Uint8Array | undefined;
      let reason = '';
      try {
        ours = inflate(input, maxOutput);
        accepted++;
      } catch (e) {
        if (!(e instanceof UrsealError) || e.code !== 'MALFORMED') throw new Error(`input ${i}: ${String(e)}`);
        reason = e.message;
      }
      if (body === undefined) {
        if (i % 8 !== 0) continue;
        try {
          theirs = inflateSync(input, { maxOutputLength: maxOutput });
        } catch {
          theirs = undefined;
        }
      }
      compared++;
      if (ours !== undefined) {
        expect(theirs !== undefined && same(ours, theirs), `input ${i} accepted by us only`).toBe(true);
      } else if (theirs !== undefined) {
        // node:zlib ignores bytes after the last block or trailer, and does not hold distances to
        // CINFO; we reject both. Empty content also gets a checksum made from nothing. We also require
        // zero padding bits before a byte boundary (one spelling per stream; see Inflater.alignToByte).
        expect(reason, `input ${i} rejected by us only: ${reason}`).toMatch(/trailing|too far|checksum|padding/);
      }
    }
    console.log(`zlib fuzz: ${accepted} of 100000 inputs accepted, ${compared} compared with node:zlib`);
  });
});
