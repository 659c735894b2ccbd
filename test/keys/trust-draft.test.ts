// Trust-list and status-list drafts: editing rules, refusal of unsafe public keys, growing sequence numbers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../core/bytes.js';
import { SMALL_ORDER_ENCODINGS } from '../../core/crypto/policy.js';
import { isRevoked } from '../../core/status-list/codec.js';
import { UserError } from '../../keys/errors.js';
import { checkPublicKey, parsePublicKey } from '../../keys/public-key.js';
import { buildStatusList, emptyStatusDraft, revokeIndex, statusDraftFromJson, statusDraftToJson } from '../../keys/status-draft.js';
import { parseTime, formatTime } from '../../keys/time.js';
import {
  addAgency,
  addKey,
  addRoot,
  buildTrustList,
  draftFromJson,
  draftToJson,
  emptyDraft,
  removeRoot,
  retireKey,
  revokeKey,
  type TrustDraft,
} from '../../keys/trust-draft.js';
import { DAY, MOJ_KEY_1, MOJ_KEY_2, ROOT, T0, YEAR, testKey } from '../helpers/world.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  return undefined;
}

/** Non-canonical encodings (RFC 8032 §5.1.3): y >= p, and x = 0 with the sign bit set. */
const NON_CANONICAL = [
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1
  'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = 2^255 - 1
  '0100000000000000000000000000000000000000000000000000000000000080', // identity with sign bit
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', // (0, -1) with sign bit
];

function draft(): TrustDraft {
  const d = emptyDraft(30);
  addRoot(d, ROOT.publicKey, 'root 1');
  addAgency(d, {
    id: 'MOJ',
    name: { ar: 'وزارة العدل', en: 'Ministry of Justice' },
    documentTypes: [{ id: 'poa', name: { ar: 'وكالة', en: 'POA' }, fields: [{ id: 'n', label: { ar: 'الاسم', en: 'Name' } }] }],
  });
  return d;
}

describe('public keys', () => {
  it.each(SMALL_ORDER_ENCODINGS)('refuses small-order key %s', (hex) => {
    expect(codeOf(() => checkPublicKey(fromHex(hex)))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey(hex))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    const d = draft();
    expect(codeOf(() => addKey(d, 'MOJ', fromHex(hex), T0, T0 + YEAR))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(codeOf(() => addRoot(d, fromHex(hex)))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(d.agencies[0]!.keys).toHaveLength(0);
  });

  it.each(NON_CANONICAL)('refuses non-canonical key %s', (hex) => {
    expect(codeOf(() => parsePublicKey(hex))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(codeOf(() => addKey(draft(), 'MOJ', fromHex(hex), T0, T0 + YEAR))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
  });

  it('takes a key as hex or base64url, as text or in a file, the same way everywhere', () => {
    const hex = toHex(MOJ_KEY_1.publicKey);
    const b64u = Buffer.from(MOJ_KEY_1.publicKey).toString('base64url');
    expect(b64u).toHaveLength(43);
    for (const text of [hex, hex.toUpperCase(), b64u, `${b64u}=`, ` ${b64u}\n`]) expect(toHex(parsePublicKey(text))).toBe(hex);
    const dir = mkdtempSync(join(tmpdir(), 'urseal-pub-'));
    try {
      // As /trust-list.json shows a key: { kid, publicKey (base64url) }.
      writeFileSync(join(dir, 'key.json'), JSON.stringify({ kid: 'x', publicKey: b64u }));
      writeFileSync(join(dir, 'key.pub'), `${b64u}\n`);
      expect(toHex(parsePublicKey(join(dir, 'key.json')))).toBe(hex);
      expect(toHex(parsePublicKey(join(dir, 'key.pub')))).toBe(hex);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // One key, one text: a last character with non-zero unused bits is refused, as are other lengths.
    const last = b64u.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(codeOf(() => parsePublicKey(b64u.slice(0, 42) + sibling))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey(b64u.slice(0, 42)))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
  });

  it('accepts real keys, refuses wrong lengths', () => {
    expect(toHex(parsePublicKey(toHex(MOJ_KEY_1.publicKey)))).toBe(toHex(MOJ_KEY_1.publicKey));
    expect(codeOf(() => parsePublicKey('abcd'))).toBe('URSEAL_E_BAD_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey('no-such-file.pub'))).toBe('URSEAL_E_FILE_NOT_FOUND');
  });
});

describe('trust-list draft', () => {
  it('adds agencies and keys; refuses duplicates and unknown agencies', () => {
    const d = draft();
    expect(codeOf(() => addAgency(d, { id: 'MOJ', name: { ar: 'أ', en: 'a' }, documentTypes: [] }))).toBe('URSEAL_E_AGENCY_EXISTS');
    addAgency(d, { id: 'MOJ', name: { ar: 'أ', en: 'a' }, documentTypes: [] }, true);
    expect(d.agencies[0]!.name.en).toBe('a');
    addKey(d, 'MOJ', MOJ_KEY_1.publicKey, T0, T0 + YEAR);
    expect(codeOf(() => addKey(d, 'MOJ', MOJ_KEY_1.publicKey, T0, T0 + YEAR))).toBe('URSEAL_E_KEY_EXISTS');
    expect(codeOf(() => addKey(d, 'MOI', MOJ_KEY_2.publicKey, T0, T0 + YEAR))).toBe('URSEAL_E_UNKNOWN_AGENCY');
    expect(codeOf(() => addKey(d, 'MOJ', MOJ_KEY_2.publicKey, T0 + YEAR, T0))).toBe('URSEAL_E_BAD_DATE');
    expect(codeOf(() => addKey(d, 'MOJ', ROOT.publicKey, T0, T0 + YEAR))).toBe('URSEAL_E_KEY_EXISTS');
  });

  it('retire shortens the window; revoke records time and reason', () => {
    const d = draft();
    const k = addKey(d, 'MOJ', MOJ_KEY_1.publicKey, T0, T0 + 2 * YEAR);
    const kid = toHex(k.kid);
    retireKey(d, kid, T0 + YEAR);
    expect(k.status).toBe('retired');
    expect(k.notAfter).toBe(T0 + YEAR);
    revokeKey(d, kid, T0 + YEAR + DAY, 'stolen');
    expect(k).toMatchObject({ status: 'revoked', revokedAt: T0 + YEAR + DAY, reason: 'stolen' });
    expect(codeOf(() => retireKey(d, kid, T0 + YEAR))).toBe('URSEAL_E_BAD_VALUE');
    expect(codeOf(() => revokeKey(d, '0011223344556677', T0))).toBe('URSEAL_E_UNKNOWN_KEY');
  });

  it('roots: the last one cannot be removed', () => {
    const d = draft();
    const r2 = addRoot(d, testKey('root-2').publicKey);
    removeRoot(d, toHex(d.roots[0]!.kid));
    expect(d.roots).toEqual([r2]);
    expect(codeOf(() => removeRoot(d, toHex(r2.kid)))).toBe('URSEAL_E_LAST_ROOT');
    expect(codeOf(() => removeRoot(d, '0011223344556677'))).toBe('URSEAL_E_UNKNOWN_ROOT');
  });

  it('the sequence always grows; expiry from validDays or a fixed date', () => {
    const d = draft();
    const l = buildTrustList(d, { now: T0, lastSequence: 4 });
    expect(l.sequence).toBe(5);
    expect(l.expiresAt).toBe(T0 + 30 * DAY);
    expect(buildTrustList(d, { now: T0, lastSequence: 4, sequence: 9 }).sequence).toBe(9);
    expect(codeOf(() => buildTrustList(d, { now: T0, lastSequence: 4, sequence: 4 }))).toBe('URSEAL_E_SEQUENCE');
    expect(codeOf(() => buildTrustList(d, { now: T0, lastSequence: 4, expiresAt: T0 - 1 }))).toBe('URSEAL_E_BAD_DATE');
    expect(codeOf(() => buildTrustList(emptyDraft(), { now: T0, lastSequence: 0 }))).toBe('URSEAL_E_DRAFT_MALFORMED');
  });

  it('JSON round trip is exact; malformed drafts are refused naming the field', () => {
    const d = draft();
    addKey(d, 'MOJ', MOJ_KEY_1.publicKey, T0, T0 + YEAR);
    revokeKey(d, toHex(d.agencies[0]!.keys[0]!.kid), T0 + DAY, 'lost');
    d.lastSequence = 3;
    d.expiresAt = T0 + 40 * DAY;
    const json = JSON.parse(JSON.stringify(draftToJson(d)));
    expect(draftToJson(draftFromJson(json))).toEqual(json);
    expect(codeOf(() => draftFromJson({ ...json, format: 'x' }))).toBe('URSEAL_E_DRAFT_MALFORMED');
    expect(codeOf(() => draftFromJson({ ...json, extra: 1 }))).toBe('URSEAL_E_DRAFT_MALFORMED');
    const broken = structuredClone(json);
    broken.agencies[0].keys[0].publicKey = 'zz';
    expect(codeOf(() => draftFromJson(broken))).toBe('URSEAL_E_DRAFT_MALFORMED');
  });
});

describe('status-list draft', () => {
  it('revokes indexes into the bits core reads', () => {
    const d = emptyStatusDraft('MOJ', 1024, 7);
    expect(revokeIndex(d, 42, T0)).toBe(true);
    expect(revokeIndex(d, 42, T0 + 1)).toBe(false);
    revokeIndex(d, 0, T0);
    revokeIndex(d, 1023, T0, 'error');
    const l = buildStatusList(d, { now: T0, lastSequence: 2 });
    expect(l.sequence).toBe(3);
    for (let i = 0; i < 1024; i++) expect(isRevoked(l, i)).toBe([0, 42, 1023].includes(i));
    expect(codeOf(() => revokeIndex(d, 1024, T0))).toBe('URSEAL_E_BAD_VALUE');
    expect(statusDraftToJson(statusDraftFromJson(JSON.parse(JSON.stringify(statusDraftToJson(d)))))).toEqual(statusDraftToJson(d));
  });
});

describe('times', () => {
  it('parses dates and seconds; refuses nonsense', () => {
    expect(parseTime('2026-01-01', '--x')).toBe(T0);
    expect(parseTime('2026-01-01T00:00:00Z', '--x')).toBe(T0);
    expect(parseTime('2026-01-01T03:00:00+03:00', '--x')).toBe(T0);
    expect(parseTime(String(T0), '--x')).toBe(T0);
    expect(formatTime(T0)).toBe('2026-01-01T00:00:00Z');
    expect(codeOf(() => parseTime('next tuesday', '--x'))).toBe('URSEAL_E_BAD_DATE');
    expect(codeOf(() => parseTime('2026-13-45', '--x'))).toBe('URSEAL_E_BAD_DATE');
  });
});
