// Issue 11, "verdicts a clerk cannot misread": text that issuance refuses, how older seals holding it are shown,
// and seals whose type, fields or status index the agency's published lists do not cover.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlankText, unsafeTextReason, validateIssuedClaims } from '../../../core/seal/claims.js';
import { displayText, displayValue } from '../../../core/seal/display.js';
import { decodeSeal } from '../../../core/seal/decode.js';
import { verifySealSync } from '../../../core/seal/verify.js';
import { MAX_STATUS_BITS } from '../../../core/status-list/codec.js';
import { UrsealError } from '../../../core/errors.js';
import {
  backend,
  claims,
  DAY,
  legacySeal,
  seal,
  statusList,
  T0,
  trustList,
  verifiedStatus,
  verifiedTrust,
  mojAgency,
  heldStatus,
} from '../../helpers/world.js';

const NOW = T0 + 2 * DAY;
const trust = verifiedTrust();
const verify = (text: string, statusLists?: Map<string, ReturnType<typeof verifiedStatus>>) =>
  verifySealSync(text, backend, { trust, now: NOW, statusLists: statusLists ?? heldStatus(trust) });

const REFUSED: [string, string][] = [
  ['NUL', 'سارة\u0000'],
  ['a tab', 'a\tb'],
  ['a line feed', 'a\nb'],
  ['DEL', 'a\u007fb'],
  ['a C1 control (NEL)', 'a\u0085b'],
  ['LRE', '\u202Aabc'],
  ['RLO', 'invoice\u202Efdp.exe'],
  ['PDF (pop directional formatting)', 'abc\u202C'],
  ['LRI', '\u2066123'],
  ['PDI', '123\u2069'],
  ['a lone high surrogate', 'a\ud800'],
  ['a lone low surrogate', '\udc00b'],
  ['a reversed pair', '\udc00\ud800'],
  ['an empty value', ''],
  ['only spaces', '   '],
  ['only a no-break space and a zero-width space', '\u00a0\u200b'],
];

describe('issuance refuses text a verifier could show as something it is not', () => {
  it.each(REFUSED)('refuses %s in a field value and in the number, naming the field', (_what, value) => {
    expect(unsafeTextReason(value)).toBeDefined();
    for (const c of [claims({}, { fields: { n: value } }), claims({}, { number: value })]) {
      let err: unknown;
      try {
        seal(c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UrsealError);
      expect((err as UrsealError).code).toBe('MALFORMED');
      expect((err as UrsealError).message).toMatch(c.doc.number === value ? /^document number\b/ : /^field n\b/);
    }
  });

  it('accepts ordinary Arabic and Latin text, emoji (a surrogate pair), the Arabic letter mark and whole numbers', () => {
    const c = claims({}, { number: 'B-77/1447', fields: { n: 'عبد الرحمن Jean-Luc 🏛', a: 'x\u061Cy', nid: 1098765432 } });
    expect(() => validateIssuedClaims(c)).not.toThrow();
    expect(verify(seal(c)).code).toBe('VALID');
  });

  it('blank means only white space (and the invisible zero-width spaces)', () => {
    expect(isBlankText('')).toBe(true);
    expect(isBlankText(' \u3000\ufeff')).toBe(true);
    expect(isBlankText(' x ')).toBe(false);
  });

  it('reading stays lenient: an older seal with such text still decodes and verifies (it is shown neutralised)', () => {
    const text = legacySeal(claims({}, { fields: { n: 'sara\u202Eevil', a: 'a\u0000b', nid: '  ', d: 'x', c: 'y' } }));
    expect(decodeSeal(text).claims.doc.fields['n']).toBe('sara\u202Eevil');
    expect(verify(text).code).toBe('VALID');
  });
});

describe('displayText: older seals neutralised for a person', () => {
  it('makes controls and bidi controls visible, lone surrogates U+FFFD, blank values visible', () => {
    expect(displayText('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(displayText('a\u0000b\nc')).toBe('a⟨U+0000⟩b⟨U+000A⟩c');
    expect(displayText('\u2066x\u2069')).toBe('⟨U+2066⟩x⟨U+2069⟩');
    expect(displayText('a\ud800b')).toBe('a\uFFFDb');
    expect(displayText('  ')).toBe('⟨U+0020⟩⟨U+0020⟩');
    expect(displayText('')).toBe('⟨empty⟩');
    expect(displayValue(42)).toBe('42');
  });

  it('leaves issuable text unchanged, and its output never holds anything issuance refuses (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const shown = displayText(s);
        expect(unsafeTextReason(shown)).toBeUndefined();
        if (unsafeTextReason(s) === undefined) expect(shown).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what the published lists do not cover', () => {
  it('a document type the agency does not publish: warning UNPUBLISHED_CONTENT naming it', () => {
    const r = verify(seal(claims({}, { type: 'deed' })));
    expect(r.code).toBe('UNPUBLISHED_CONTENT');
    expect(r.verdict).toBe('warning');
    expect(r.valid).toBe(false);
    expect(r.reason).toContain('"deed"');
  });

  it('a field the type does not publish: warning UNPUBLISHED_CONTENT naming the field', () => {
    const base = claims();
    const r = verify(seal(claims({}, { fields: { ...base.doc.fields, x9: 'secret clause' } })));
    expect(r.code).toBe('UNPUBLISHED_CONTENT');
    expect(r.reason).toContain('"x9"');
    expect(r.fields!.find((f) => f.id === 'x9')!.label).toBeUndefined();
  });

  it('invalid verdicts still win over the warning (a revoked document with an unpublished field is revoked)', () => {
    const sl = new Map([['MOJ', verifiedStatus(trust, statusList([42]))]]);
    expect(verify(seal(claims({}, { type: 'deed', status: 42 })), sl).code).toBe('DOCUMENT_REVOKED');
  });

  it('a status index past the end of a list made after the seal: STATUS_OUT_OF_RANGE, with the reason', () => {
    // The test list has 1024 entries; made a second after the seals' issue time (T0 + DAY).
    const sl = new Map([['MOJ', verifiedStatus(trust, statusList([], { issuedAt: T0 + DAY + 1 }))]]);
    expect(verify(seal(claims({}, { status: 1023 })), sl).code).toBe('VALID');
    const r = verify(seal(claims({}, { status: 1024 })), sl);
    expect(r.code).toBe('STATUS_OUT_OF_RANGE');
    expect(r.verdict).toBe('warning');
    expect(r.reason).toMatch(/1024 entries, made 2026-01-02T00:00:01Z/);
    expect(r.statusList?.checked).toBe(false);
  });

  it('a list older than the seal, or made in the same second, may predate its index: not this verdict', () => {
    for (const issuedAt of [T0, T0 + DAY]) {
      const old = new Map([['MOJ', verifiedStatus(trust, statusList([], { issuedAt }))]]);
      expect(verify(seal(claims({}, { status: 5000 })), old).code).toBe('VALID');
    }
  });

  it('an index no status list can hold is STATUS_OUT_OF_RANGE even without a list', () => {
    expect(verify(seal(claims({}, { status: MAX_STATUS_BITS })), new Map()).code).toBe('STATUS_OUT_OF_RANGE');
    expect(verify(seal(claims({}, { status: MAX_STATUS_BITS - 1 })), new Map()).code).toBe('STATUS_UNKNOWN');
  });

  it('reasons show dates, not seconds since 1970', () => {
    const r = verify(seal(claims({ iat: T0 - DAY })));
    expect(r.code).toBe('OUTSIDE_KEY_VALIDITY');
    expect(r.reason).toBe('issued 2025-12-31T00:00:00Z, key valid 2026-01-01T00:00:00Z to 2028-01-01T00:00:00Z');
    const e = verify(seal(claims({ exp: T0 + DAY + 60 })));
    expect(e.reason).toBe('expired 2026-01-02T00:01:00Z');
  });

  it('the test world publishes what these tests rely on', () => {
    expect(trustList().agencies[0]!.documentTypes.map((t) => t.id)).toEqual(['poa']);
    expect(mojAgency().documentTypes[0]!.fields.map((f) => f.id)).toEqual(['n', 'a', 'nid', 'd', 'c']);
  });
});
