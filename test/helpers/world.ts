// A deterministic test world: an NDC root, agencies with keys, a signed trust list, status lists, seals.
// Every private key here is a TEST FIXTURE derived from a fixed label; none is used anywhere real.
import { createHash } from 'node:crypto';
import { keyId } from '../../core/hash.js';
import { nativeBackend } from '../../core/crypto/index.js';
import type { Ed25519Backend, SigningKey } from '../../core/crypto/backend.js';
import { signSealSync } from '../../core/seal/sign.js';
import { encodeClaims, type SealClaims } from '../../core/seal/claims.js';
import { encodeProtected, signSign1Sync } from '../../core/cose/sign1.js';
import { coseToSealText } from '../../core/seal/pack.js';
import { signTrustListSync } from '../../core/trust-list/sign.js';
import { verifyTrustListSync, type VerifiedTrustList } from '../../core/trust-list/verify.js';
import type { Agency, AgencyKey, TrustList } from '../../core/trust-list/types.js';
import { signStatusListSync } from '../../core/status-list/sign.js';
import { verifyStatusListSync, type VerifiedStatusList } from '../../core/status-list/verify.js';

export const backend: Ed25519Backend = nativeBackend()!;

/** A test-only seed from a label (SHA-256 of "urseal test key: " + label). */
export function testSeed(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`urseal test key: ${label}`).digest());
}

export function testKey(label: string): SigningKey {
  return backend.importSigningKeySync(testSeed(label));
}

export const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
export const DAY = 86_400;
export const YEAR = 365 * DAY;

export const ROOT = testKey('root-1');
export const MOJ_KEY_1 = testKey('moj-1');
export const MOJ_KEY_2 = testKey('moj-2');
export const MOI_KEY = testKey('moi-1');
export const STRANGER_KEY = testKey('not-published');

export function agencyKey(key: SigningKey, over: Partial<AgencyKey> = {}): AgencyKey {
  return { kid: keyId(key.publicKey), publicKey: key.publicKey, notBefore: T0, notAfter: T0 + 2 * YEAR, status: 'active', ...over };
}

export function mojAgency(keys: AgencyKey[] = [agencyKey(MOJ_KEY_1)]): Agency {
  return {
    id: 'MOJ',
    name: { ar: 'وزارة العدل', en: 'Ministry of Justice' },
    documentTypes: [
      {
        id: 'poa',
        name: { ar: 'وكالة عامة', en: 'General power of attorney' },
        fields: [
          { id: 'n', label: { ar: 'اسم الموكِّل', en: 'Principal' } },
          { id: 'a', label: { ar: 'اسم الوكيل', en: 'Agent' } },
          { id: 'nid', label: { ar: 'الرقم الوطني', en: 'National ID' } },
          { id: 'd', label: { ar: 'تاريخ التوثيق', en: 'Date' } },
          { id: 'c', label: { ar: 'الكاتب العدل', en: 'Notary' } },
        ],
      },
    ],
    keys,
  };
}

export function moiAgency(): Agency {
  return {
    id: 'MOI',
    name: { ar: 'وزارة الداخلية', en: 'Ministry of Interior' },
    documentTypes: [
      { id: 'birth', name: { ar: 'شهادة ميلاد', en: 'Birth certificate' }, fields: [{ id: 'n', label: { ar: 'الاسم', en: 'Name' } }] },
    ],
    keys: [agencyKey(MOI_KEY)],
  };
}

export function trustList(over: Partial<TrustList> = {}): TrustList {
  return {
    issuer: 'NDC',
    sequence: 1,
    issuedAt: T0,
    expiresAt: T0 + 30 * DAY,
    roots: [{ kid: keyId(ROOT.publicKey), publicKey: ROOT.publicKey }],
    agencies: [mojAgency(), moiAgency()],
    ...over,
  };
}

export function signedTrust(list: TrustList = trustList(), root: SigningKey = ROOT): Uint8Array {
  return signTrustListSync(list, backend, root);
}

export function verifiedTrust(list: TrustList = trustList(), now = T0 + DAY): VerifiedTrustList {
  const r = verifyTrustListSync(signedTrust(list), backend, { roots: [ROOT.publicKey], now });
  if (!r.ok) throw new Error(`test world: trust list did not verify: ${r.code} ${r.reason}`);
  return r.trust;
}

let serial = 0;
export function claims(over: Partial<SealClaims> = {}, doc: Partial<SealClaims['doc']> = {}): SealClaims {
  serial++;
  return {
    iss: 'MOJ',
    iat: T0 + DAY,
    cti: new Uint8Array([0x26, 0, 0, serial >> 8, serial & 255]),
    doc: {
      type: 'poa',
      number: '1447/2026',
      fields: {
        n: 'سارة بنت عبد الله القحطاني',
        a: 'محمد بن علي الزهراني',
        nid: '1098765432',
        d: '2026-01-02',
        c: 'كتابة العدل الأولى بالرياض',
      },
      hash: new Uint8Array(32).fill(7),
      length: 123_456,
      status: 42,
      ...doc,
    },
    ...over,
  };
}

export function seal(c: SealClaims = claims(), key: SigningKey = MOJ_KEY_1): string {
  return signSealSync(c, { backend, key });
}

/**
 * A seal as an older urseal could sign it: only the reading rules (validateClaims), not issuance's text rules, so
 * it may hold controls, bidi controls or blank values. For tests of how verifiers show such seals.
 */
export function legacySeal(c: SealClaims, key: SigningKey = MOJ_KEY_1): string {
  return coseToSealText(signSign1Sync(backend, key, encodeProtected(keyId(key.publicKey)), encodeClaims(c)));
}

export function statusList(
  revoked: number[],
  over: { sequence?: number; key?: SigningKey; issuer?: string; issuedAt?: number } = {},
): Uint8Array {
  let bits = new Uint8Array(128);
  for (const i of revoked) bits[i >> 3]! |= 1 << (7 - (i & 7));
  return signStatusListSync(
    {
      issuer: over.issuer ?? 'MOJ',
      sequence: over.sequence ?? 1,
      issuedAt: over.issuedAt ?? T0 + DAY,
      expiresAt: (over.issuedAt ?? T0 + DAY) + 7 * DAY,
      size: 1024,
      bits,
    },
    backend,
    over.key ?? MOJ_KEY_1,
  );
}

export function verifiedStatus(trust: VerifiedTrustList, bytes: Uint8Array): VerifiedStatusList {
  const r = verifyStatusListSync(bytes, trust, backend, { now: T0 + 2 * DAY });
  if (!r.ok) throw new Error(`test world: status list did not verify: ${r.code} ${r.reason}`);
  return r.status;
}

/** The status lists a verifier that went online holds: MOJ's and MOI's, nothing revoked. */
export function heldStatus(trust: VerifiedTrustList = verifiedTrust()): Map<string, VerifiedStatusList> {
  const held = new Map<string, VerifiedStatusList>();
  for (const [agency, key] of [
    ['MOJ', MOJ_KEY_1],
    ['MOI', MOI_KEY],
  ] as const) {
    // Only where this trust list admits the signer (rotation tests use other lists).
    const r = verifyStatusListSync(statusList([], { issuer: agency, key }), trust, backend, { now: T0 + 2 * DAY });
    if (r.ok) held.set(agency, r.status);
  }
  return held;
}
