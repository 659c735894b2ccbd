// Seal verification: one test per result code, key rotation and revocation rules, link form, determinism.
import { describe, expect, it } from 'vitest';
import { encodeCbor, type CborValue } from '../../../core/cbor/index.js';
import { decodeSign1, encodeProtected, encodeSign1, sigStructure } from '../../../core/cose/sign1.js';
import { keyId } from '../../../core/hash.js';
import { sealTextToCose } from '../../../core/seal/text.js';
import { coseToSealText, toLinkForm } from '../../../core/seal/pack.js';
import { decodeSeal } from '../../../core/seal/decode.js';
import { verifySeal, verifySealSync } from '../../../core/seal/verify.js';
import { webCryptoBackend, nobleBackend } from '../../../core/crypto/index.js';
import { claimsToCbor } from '../../../core/seal/claims.js';
import {
  agencyKey,
  backend,
  claims,
  DAY,
  MOI_KEY,
  MOJ_KEY_1,
  MOJ_KEY_2,
  mojAgency,
  moiAgency,
  seal,
  statusList,
  STRANGER_KEY,
  T0,
  trustList,
  verifiedStatus,
  verifiedTrust,
  YEAR,
  heldStatus,
} from '../../helpers/world.js';

const NOW = T0 + 2 * DAY;
const verify = (
  text: string,
  trust = verifiedTrust(),
  extra: { now?: number; statusLists?: Map<string, ReturnType<typeof verifiedStatus>> } = {},
) => verifySealSync(text, backend, { trust, now: extra.now ?? NOW, statusLists: extra.statusLists ?? heldStatus(trust) });

/** Re-pack a seal's COSE with a changed part (signature kept unless given). */
function repack(text: string, change: { payload?: Uint8Array; signature?: Uint8Array; protectedBytes?: Uint8Array }): string {
  const m = decodeSign1(sealTextToCose(text));
  return coseToSealText(
    encodeSign1(change.protectedBytes ?? m.protectedBytes, change.payload ?? m.payload, change.signature ?? m.signature),
  );
}

describe('verifySeal: result codes', () => {
  it('VALID: a fresh seal, with agency, document type, labelled fields and key status', () => {
    const r = verify(seal());
    expect(r.code).toBe('VALID');
    expect(r.valid).toBe(true);
    expect(r.verdict).toBe('valid');
    expect(r.agency).toEqual({ id: 'MOJ', name: { ar: 'وزارة العدل', en: 'Ministry of Justice' } });
    expect(r.documentType?.name?.en).toBe('General power of attorney');
    expect(r.fields?.[0]).toEqual({ id: 'n', label: { ar: 'اسم الموكِّل', en: 'Principal' }, value: 'سارة بنت عبد الله القحطاني' });
    expect(r.key?.status).toBe('active');
    expect(r.message.ar.length).toBeGreaterThan(10);
    expect(r.message.en).toMatch(/Valid seal/);
    expect(r.paper).toBe(false);
  });

  it('VALID for a paper seal (no file hash) says it is paper', () => {
    const r = verify(seal(claims({}, { hash: undefined, length: undefined })));
    expect(r.code).toBe('VALID');
    expect(r.paper).toBe(true);
  });

  it.each(['', 'hello', 'UR1:', 'UR1:::::', 'UR1:abc', 'HC1:6BFOXN', 'UR1:' + 'A'.repeat(5000)])('MALFORMED for %j', (t) => {
    const r = verify(t);
    expect(r.code).toBe('MALFORMED');
    expect(r.valid).toBe(false);
    expect(r.reason).toBeTruthy();
  });

  it('UNSUPPORTED for a future seal version and for a non-EdDSA algorithm', () => {
    expect(verify('UR2:ABC').code).toBe('UNSUPPORTED');
    const p = encodeCbor(
      new Map<number, CborValue>([
        [1, -7],
        [4, keyId(MOJ_KEY_1.publicKey)],
      ]),
    );
    expect(verify(repack(seal(), { protectedBytes: p })).code).toBe('UNSUPPORTED');
  });

  it('UNKNOWN_KEY for a key not in the trust list', () => {
    const r = verify(seal(claims(), STRANGER_KEY));
    expect(r.code).toBe('UNKNOWN_KEY');
    expect(r.agency?.id).toBe('MOJ'); // what the seal claims, shown for context
  });

  it('BAD_SIGNATURE for a changed signature and for changed claims', () => {
    const text = seal();
    const sig = decodeSign1(sealTextToCose(text)).signature.slice();
    sig[10]! ^= 1;
    expect(verify(repack(text, { signature: sig })).code).toBe('BAD_SIGNATURE');
    const other = encodeCbor(claimsToCbor(claims({}, { number: '1448/2026' })));
    expect(verify(repack(text, { payload: other })).code).toBe('BAD_SIGNATURE');
  });

  it("ISSUER_MISMATCH when a key signs for another agency's id", () => {
    expect(verify(seal(claims({ iss: 'MOJ' }), MOI_KEY)).code).toBe('ISSUER_MISMATCH');
  });

  it('KEY_REVOKED fails every seal the key made, even ones dated before the revocation', () => {
    const old = seal(claims({ iat: T0 + DAY }));
    const revoked = trustList({
      sequence: 2,
      agencies: [mojAgency([agencyKey(MOJ_KEY_1, { status: 'revoked', revokedAt: T0 + 10 * DAY, reason: 'key stolen' })]), moiAgency()],
    });
    const r = verify(old, verifiedTrust(revoked));
    expect(r.code).toBe('KEY_REVOKED');
    expect(r.key?.reason).toBe('key stolen');
  });

  it('OUTSIDE_KEY_VALIDITY for iat before notBefore or after notAfter', () => {
    expect(verify(seal(claims({ iat: T0 - 1 }))).code).toBe('OUTSIDE_KEY_VALIDITY');
    expect(verify(seal(claims({ iat: T0 + 2 * YEAR + 1 })), undefined, { now: T0 + 3 * YEAR }).code).not.toBe('VALID');
    const list = trustList({ expiresAt: T0 + 4 * YEAR });
    expect(verify(seal(claims({ iat: T0 + 2 * YEAR + 1 })), verifiedTrust(list), { now: T0 + 3 * YEAR }).code).toBe('OUTSIDE_KEY_VALIDITY');
  });

  it('EXPIRED once exp has passed', () => {
    const text = seal(claims({ exp: T0 + 10 * DAY }));
    expect(verify(text, undefined, { now: T0 + 9 * DAY }).code).toBe('VALID');
    expect(verify(text, undefined, { now: T0 + 10 * DAY }).code).toBe('EXPIRED');
  });

  it('DOCUMENT_REVOKED when the status bit is set; VALID when another bit is', () => {
    const trust = verifiedTrust();
    const text = seal(claims({}, { status: 42 }));
    const revoked = new Map([['MOJ', verifiedStatus(trust, statusList([41, 42]))]]);
    const other = new Map([['MOJ', verifiedStatus(trust, statusList([41, 43]))]]);
    expect(verify(text, trust, { statusLists: revoked }).code).toBe('DOCUMENT_REVOKED');
    const ok = verify(text, trust, { statusLists: other });
    expect(ok.code).toBe('VALID');
    expect(ok.statusList).toMatchObject({ checked: true, sequence: 1 });
  });

  it('STATUS_UNKNOWN (a warning, never VALID) when a seal that can be revoked is checked without its agency’s status list', () => {
    const trust = verifiedTrust();
    const r = verify(seal(claims({}, { status: 42 })), trust, { statusLists: new Map() });
    expect(r.code).toBe('STATUS_UNKNOWN');
    expect(r.verdict).toBe('warning');
    expect(r.valid).toBe(false);
    expect(r.statusList).toEqual({ checked: false });
    expect(r.message.en).toMatch(/revocation was not checked/);
    // Another agency's list does not count; a seal without a status index has nothing to check.
    const moiOnly = new Map([...heldStatus(trust)].filter(([a]) => a === 'MOI'));
    expect(verify(seal(claims({}, { status: 42 })), trust, { statusLists: moiOnly }).code).toBe('STATUS_UNKNOWN');
    const noIndex = claims();
    delete noIndex.doc.status;
    expect(verify(seal(noIndex), trust, { statusLists: new Map() }).code).toBe('VALID');
    // A real failure still wins over the missing list.
    expect(verify(seal(claims({ exp: T0 + DAY + 1 }, { status: 42 })), trust, { statusLists: new Map() }).code).toBe('EXPIRED');
  });

  it('TRUST_LIST_STALE (a warning) when the trust list is past its exp', () => {
    const r = verify(seal(), verifiedTrust(), { now: T0 + 31 * DAY });
    expect(r.code).toBe('TRUST_LIST_STALE');
    expect(r.verdict).toBe('warning');
    expect(r.valid).toBe(false);
    expect(r.trustList.stale).toBe(true);
  });

  it('ISSUED_IN_FUTURE (a warning about the clock) when iat is ahead of the clock', () => {
    const r = verify(seal(claims({ iat: NOW + DAY })));
    expect(r.code).toBe('ISSUED_IN_FUTURE');
    expect(r.verdict).toBe('warning');
  });
});

describe('verifySeal: key rotation', () => {
  const rotated = trustList({
    sequence: 2,
    agencies: [
      mojAgency([
        agencyKey(MOJ_KEY_1, { status: 'retired', notAfter: T0 + 100 * DAY }),
        agencyKey(MOJ_KEY_2, { notBefore: T0 + 100 * DAY }),
      ]),
      moiAgency(),
    ],
  });
  const trust = verifiedTrust({ ...rotated, expiresAt: T0 + 400 * DAY });

  it('a retired key still verifies what it signed while valid; the new key verifies new seals', () => {
    expect(verify(seal(claims({ iat: T0 + 50 * DAY }), MOJ_KEY_1), trust, { now: T0 + 200 * DAY }).code).toBe('VALID');
    expect(verify(seal(claims({ iat: T0 + 150 * DAY }), MOJ_KEY_2), trust, { now: T0 + 200 * DAY }).code).toBe('VALID');
  });

  it('a retired key cannot issue after its window closed', () => {
    expect(verify(seal(claims({ iat: T0 + 150 * DAY }), MOJ_KEY_1), trust, { now: T0 + 200 * DAY }).code).toBe('OUTSIDE_KEY_VALIDITY');
  });
});

describe('seal text forms', () => {
  it('is deterministic: same claims and key, same text', () => {
    const c = claims();
    expect(seal(c)).toBe(seal(c));
  });

  it('link form verifies like the text, and the QR part is Base32', () => {
    const text = seal();
    const link = toLinkForm(text, 'https://verify.example.gov/v#old');
    expect(link).toMatch(/^https:\/\/verify\.example\.gov\/v#UR1B:[A-Z2-7]+$/);
    expect(verify(link).code).toBe('VALID');
    expect(decodeSeal(link).claims).toEqual(decodeSeal(text).claims);
  });

  it('tolerates the line break a scanner adds', () => {
    expect(verify(seal() + '\r\n').code).toBe('VALID');
  });

  it('gives the same verdicts on every backend (sync and async)', async () => {
    const w = await webCryptoBackend();
    const trust = verifiedTrust();
    const texts = [seal(), seal(claims(), STRANGER_KEY), repack(seal(), { signature: new Uint8Array(64) })];
    for (const b of [nobleBackend(), ...(w ? [w] : [])]) {
      for (const t of texts) {
        expect((await verifySeal(t, b, { trust, now: NOW, statusLists: heldStatus(trust) })).code).toBe(verify(t, trust).code);
      }
    }
  });

  it('a seal made by hand with the same bytes equals the signer output (format is what DESIGN says)', () => {
    const c = claims({}, { hash: undefined, length: undefined, status: undefined });
    const text = seal(c, MOJ_KEY_1);
    const p = encodeProtected(keyId(MOJ_KEY_1.publicKey));
    const payload = encodeCbor(claimsToCbor(c));
    const sig = backend.signSync(MOJ_KEY_1, sigStructure(p, payload));
    expect(coseToSealText(encodeSign1(p, payload, sig))).toBe(text);
    expect(text.startsWith('UR1:')).toBe(true);
  });
});
