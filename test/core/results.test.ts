// Verdict messages: every result code has its Arabic, English and Kurdish Sorani (ckb) message.
import { describe, expect, it } from 'vitest';
import { RESULT_CODES, describe as describeCode, type ResultCode } from '../../core/results.js';

/** Letters Sorani writes and Arabic does not (ە ێ ۆ ڕ ڵ): a Kurdish text has at least one. */
const SORANI = /[\u06D5\u06CE\u06C6\u0695\u06B5]/;

describe('RESULT_CODES messages', () => {
  const codes = Object.keys(RESULT_CODES) as ResultCode[];

  it('covers every code', () => {
    expect(codes.length).toBeGreaterThanOrEqual(21);
  });

  it.each(codes)('%s has Kurdish Sorani beside Arabic and English', (code) => {
    const m = describeCode(code).message;
    expect(m.ar.length).toBeGreaterThan(0);
    expect(m.en.length).toBeGreaterThan(0);
    expect(m.ckb).toMatch(SORANI);
    expect(m.ckb).not.toBe(m.ar);
  });

  it('gives each code its own Kurdish message', () => {
    const texts = codes.map((c) => RESULT_CODES[c].message.ckb);
    expect(new Set(texts).size).toBe(codes.length);
  });
});
