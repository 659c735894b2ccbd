// Trust lists: pinned roots, root rotation, rollback, staleness, malformed and inconsistent lists.
import { describe, expect, it } from 'vitest';
import { keyId } from '../../../core/hash.js';
import { decodeSign1, encodeSign1 } from '../../../core/cose/sign1.js';
import { signTrustListSync } from '../../../core/trust-list/sign.js';
import { verifyTrustListSync } from '../../../core/trust-list/verify.js';
import { encodeTrustListPayload, decodeTrustListPayload } from '../../../core/trust-list/codec.js';
import { agencyKey, backend, DAY, MOJ_KEY_1, mojAgency, ROOT, signedTrust, T0, testKey, trustList } from '../../helpers/world.js';
import { UrsealError } from '../../../core/errors.js';

const ROOT_2 = testKey('root-2');
const now = T0 + DAY;

describe('verifyTrustList', () => {
  it('accepts a list signed by a pinned root and indexes its keys', () => {
    const r = verifyTrustListSync(signedTrust(), backend, { roots: [ROOT.publicKey], now });
    expect(r.ok && r.code).toBe('VALID');
    if (!r.ok) return;
    expect(r.trust.findKey(keyId(MOJ_KEY_1.publicKey))?.agency.id).toBe('MOJ');
    expect(r.trust.findAgency('MOI')?.name.en).toBe('Ministry of Interior');
    expect(r.clockBehind).toBe(false);
  });

  it('TRUST_LIST_UNTRUSTED: signed by a key that is not a trusted root', () => {
    const r = verifyTrustListSync(signedTrust(trustList(), ROOT_2), backend, { roots: [ROOT.publicKey], now });
    expect(r.code).toBe('TRUST_LIST_UNTRUSTED');
  });

  it('TRUST_LIST_UNTRUSTED: a changed payload breaks the root signature', () => {
    const m = decodeSign1(signedTrust());
    const tampered = encodeSign1(m.protectedBytes, encodeTrustListPayload(trustList({ sequence: 99 })), m.signature);
    expect(verifyTrustListSync(tampered, backend, { roots: [ROOT.publicKey], now }).code).toBe('TRUST_LIST_UNTRUSTED');
  });

  it('TRUST_LIST_ROLLBACK: a lower sequence than one already accepted', () => {
    const old = signedTrust(trustList({ sequence: 4 }));
    expect(verifyTrustListSync(old, backend, { roots: [ROOT.publicKey], lastSequence: 5, now }).code).toBe('TRUST_LIST_ROLLBACK');
    expect(verifyTrustListSync(old, backend, { roots: [ROOT.publicKey], lastSequence: 4, now }).ok).toBe(true);
  });

  it('TRUST_LIST_STALE after exp, and notices a clock set before the issue time', () => {
    const r = verifyTrustListSync(signedTrust(), backend, { roots: [ROOT.publicKey], now: T0 + 31 * DAY });
    expect(r.ok && r.code).toBe('TRUST_LIST_STALE');
    const early = verifyTrustListSync(signedTrust(), backend, { roots: [ROOT.publicKey], now: T0 - DAY });
    expect(early.ok && early.clockBehind).toBe(true);
  });

  it('root rotation: a new root is trusted only once a list signed by a trusted root names it', () => {
    const both = [
      { kid: keyId(ROOT.publicKey), publicKey: ROOT.publicKey },
      { kid: keyId(ROOT_2.publicKey), publicKey: ROOT_2.publicKey },
    ];
    const list1 = verifyTrustListSync(signedTrust(trustList({ sequence: 1, roots: both })), backend, { roots: [ROOT.publicKey], now });
    expect(list1.ok).toBe(true);
    if (!list1.ok) return;
    const byRoot2 = signedTrust(trustList({ sequence: 2, roots: [both[1]!] }), ROOT_2);
    // Not trusted on the pinned root alone...
    expect(verifyTrustListSync(byRoot2, backend, { roots: [ROOT.publicKey], now }).code).toBe('TRUST_LIST_UNTRUSTED');
    // ...but trusted once list 1 (signed by root 1) admitted it.
    const list2 = verifyTrustListSync(byRoot2, backend, { roots: list1.trust.list.roots, lastSequence: 1, now });
    expect(list2.ok).toBe(true);
    if (!list2.ok) return;
    // Root 1 is no longer named: a list it signs is refused from now on.
    const byRoot1 = signedTrust(trustList({ sequence: 3 }), ROOT);
    expect(verifyTrustListSync(byRoot1, backend, { roots: list2.trust.list.roots, lastSequence: 2, now }).code).toBe(
      'TRUST_LIST_UNTRUSTED',
    );
  });

  it.each([new Uint8Array(0), new Uint8Array([0xd2, 0x84]), new Uint8Array(100).fill(0xff)])('MALFORMED for junk bytes', (bytes) => {
    expect(verifyTrustListSync(bytes, backend, { roots: [ROOT.publicKey], now }).code).toBe('MALFORMED');
  });

  it('refuses to sign or read an inconsistent list (naming the problem)', () => {
    const badKid = { ...agencyKey(MOJ_KEY_1), kid: new Uint8Array(8) };
    const cases = [
      trustList({ agencies: [mojAgency([badKid])] }),
      trustList({ agencies: [mojAgency(), mojAgency([])] }),
      trustList({ roots: [] }),
      trustList({ expiresAt: T0 - 1 }),
      trustList({ agencies: [mojAgency([agencyKey(MOJ_KEY_1, { revokedAt: T0 })])] }),
      trustList({ agencies: [mojAgency([agencyKey(MOJ_KEY_1, { notAfter: T0 - 5 })])] }),
    ];
    for (const l of cases) {
      let err: unknown;
      try {
        signTrustListSync(l, backend, ROOT);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UrsealError);
      expect((err as UrsealError).code).toBe('MALFORMED');
    }
  });

  it('round-trips the payload exactly', () => {
    const l = trustList();
    expect(decodeTrustListPayload(encodeTrustListPayload(l))).toEqual(l);
  });
});

describe('status-list URL and Kurdish labels', () => {
  it('carries each agency’s status-list URL and ckb labels through signing, and refuses URLs a verifier must not fetch', () => {
    const moj = {
      ...mojAgency(),
      statusUrl: 'https://moj.example/status/MOJ',
      name: { ar: 'وزارة العدل', en: 'Ministry of Justice', ckb: 'وەزارەتی داد' },
    };
    const r = verifyTrustListSync(signedTrust(trustList({ agencies: [moj] })), backend, { roots: [ROOT.publicKey], now });
    if (!r.ok) throw new Error(r.reason);
    expect(r.trust.findAgency('MOJ')?.statusUrl).toBe('https://moj.example/status/MOJ');
    expect(r.trust.findAgency('MOJ')?.name.ckb).toBe('وەزارەتی داد');
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@moj.example/s',
      'https://moj.example/a b',
      'ftp://x/y',
      `https://x/${'a'.repeat(600)}`,
    ]) {
      expect(() => encodeTrustListPayload(trustList({ agencies: [{ ...mojAgency(), statusUrl: url }] })), url).toThrow(UrsealError);
    }
    // A list without URLs decodes as before (the field is optional).
    expect(decodeTrustListPayload(encodeTrustListPayload(trustList())).agencies[0]!.statusUrl).toBeUndefined();
  });
});
