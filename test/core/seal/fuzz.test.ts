// Fuzz: 100,000+ random and mutated inputs to the seal decoder and verifier; none may throw.
import { describe, expect, it } from 'vitest';
import { base45Encode, BASE45_ALPHABET } from '../../../core/encoding/base45.js';
import { UrsealError } from '../../../core/errors.js';
import { decodeSeal } from '../../../core/seal/decode.js';
import { sealTextToPacked } from '../../../core/seal/text.js';
import { verifySealSync } from '../../../core/seal/verify.js';
import { backend, claims, DAY, seal, T0, verifiedTrust } from '../../helpers/world.js';

// A small deterministic PRNG (mulberry32) so a failure can be reproduced from the seed.
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('seal decoder fuzz', () => {
  it('100,000 random and mutated inputs: decodeSeal throws only UrsealError, verifySeal never throws', () => {
    const r = rng(0x5ea1);
    const int = (n: number) => Math.floor(r() * n);
    const trust = verifiedTrust();
    const samples = [seal(), seal(claims({}, { hash: undefined, length: undefined })), seal(claims({ exp: T0 + 9 * DAY }))];
    const packed = samples.map((s) => sealTextToPacked(s));
    const counts = { inputs: 0, decoded: 0, valid: 0, other: 0 };

    const mutateBytes = (b: Uint8Array): Uint8Array => {
      const out = b.slice();
      const kind = int(4);
      if (kind === 0) out[int(out.length)] ^= 1 << int(8);
      else if (kind === 1) out[int(out.length)] = int(256);
      else if (kind === 2) return out.slice(0, int(out.length));
      else {
        const i = int(out.length);
        return new Uint8Array([...out.slice(0, i), ...out.slice(i, i + int(20)), ...out.slice(i)]);
      }
      return out;
    };

    const next = (): string => {
      switch (int(5)) {
        case 0: {
          // random Base45 text
          let s = 'UR1:';
          const n = int(600);
          for (let i = 0; i < n; i++) s += BASE45_ALPHABET[int(45)];
          return s;
        }
        case 1: // random bytes as a seal (reaches inflate or CBOR)
          return 'UR1:' + base45Encode(Uint8Array.from({ length: int(400) }, () => int(256)));
        case 2: // random bytes behind a zlib header
          return 'UR1:' + base45Encode(Uint8Array.from([0x78, 0x9c, ...Array.from({ length: int(300) }, () => int(256))]));
        case 3: // a real seal with its packed bytes mutated
          return 'UR1:' + base45Encode(mutateBytes(packed[int(packed.length)]!));
        default: {
          // a real seal text with characters changed, cut or doubled
          const s = samples[int(samples.length)]!;
          const i = int(s.length);
          return int(2) ? s.slice(0, i) + BASE45_ALPHABET[int(45)] + s.slice(i + 1) : s.slice(0, i) + s.slice(int(s.length));
        }
      }
    };

    for (let k = 0; k < 100_000; k++) {
      const input = next();
      counts.inputs++;
      try {
        decodeSeal(input);
        counts.decoded++;
      } catch (e) {
        if (!(e instanceof UrsealError)) throw new Error(`decodeSeal threw ${String(e)} for ${JSON.stringify(input)}`);
      }
      const v = verifySealSync(input, backend, { trust, now: T0 + 2 * DAY });
      if (v.valid) {
        counts.valid++;
        // A changed input that still verifies would be a signature or canonical-encoding hole.
        if (!samples.includes(input)) throw new Error(`a changed seal verified: ${JSON.stringify(input)}`);
      } else counts.other++;
    }
    expect(counts.inputs).toBe(100_000);
    expect(counts.decoded).toBeGreaterThan(0);
  });
});
