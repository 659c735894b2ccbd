// The strict UTF-8 decoder accepts and refuses exactly what a fatal TextDecoder does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8Strict } from '../../../core/encoding/utf8.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
function reference(bytes: Uint8Array): string | null {
  try {
    return fatal.decode(bytes);
  } catch {
    return null;
  }
}

describe('decodeUtf8Strict', () => {
  it('decodes Arabic, Latin, CJK and astral text', () => {
    for (const s of ['', 'MOJ', 'عبد الرحمن بن خالد', 'Jean-Luc Ørsted', '北京', '😀 ok', 'ـــ']) {
      const b = new TextEncoder().encode(s);
      expect(decodeUtf8Strict(b, 0, b.length)).toBe(s);
    }
  });

  it('refuses overlong forms, surrogates, code points above U+10FFFF and truncated sequences', () => {
    for (const h of ['c080', 'e08080', 'f0808080', 'eda080', 'edbfbf', 'f4908080', 'f5', 'ff', '80', 'd8', 'e0a0', 'f09f98']) {
      const b = Buffer.from(h, 'hex');
      expect({ h, s: decodeUtf8Strict(b, 0, b.length) }).toEqual({ h, s: null });
    }
  });

  it('agrees with a fatal TextDecoder on random bytes and on every sub-range (property)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .array(fc.constantFrom(0x41, 0xd8, 0xd9, 0xa7, 0x84, 0xe2, 0x80, 0xf0, 0x9f, 0xc3, 0xbf, 0xed, 0xa0), { maxLength: 40 })
        .map((a) => Uint8Array.from(a)),
    );
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (b, x, y) => {
        const start = b.length === 0 ? 0 : x % (b.length + 1);
        const end = start + (y % (b.length - start + 1));
        expect(decodeUtf8Strict(b, start, end)).toBe(reference(b.subarray(start, end)));
      }),
      { numRuns: 5000 },
    );
  });
});
