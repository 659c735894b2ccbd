// Trust list payload <-> CBOR (text keys, deterministic), with strict validation of every field.
import { decodeCbor, encodeCbor, type CborKey, type CborValue } from '../cbor/index.js';
import { malformed } from '../errors.js';
import { bytesEqual, toHex } from '../bytes.js';
import { keyId } from '../hash.js';
import type { Agency, AgencyKey, DocumentType, Label, RootKey, TrustList, KeyStatus } from './types.js';

/** Limits on a trust list: generous for a country, bounded for a parser. */
export const TRUST_LIST_LIMITS = { maxBytes: 8 * 1024 * 1024, maxItems: 10_000, maxDepth: 10, textLength: 512 } as const;

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const STATUSES: readonly KeyStatus[] = ['active', 'retired', 'revoked'];

type CMap = Map<CborKey, CborValue>;

function m(entries: [string, CborValue | undefined][]): CMap {
  const out: CMap = new Map();
  for (const [k, v] of entries) if (v !== undefined) out.set(k, v);
  return out;
}

function label(l: Label): CMap {
  return m([
    ['ar', l.ar],
    ['en', l.en],
    ['ckb', l.ckb],
  ]);
}

/** TrustList -> CBOR bytes (the COSE payload). Validates first. */
export function encodeTrustListPayload(list: TrustList): Uint8Array {
  validateTrustList(list);
  return encodeCbor(
    m([
      ['v', 1],
      ['iss', list.issuer],
      ['seq', list.sequence],
      ['iat', list.issuedAt],
      ['exp', list.expiresAt],
      [
        'roots',
        list.roots.map((r) =>
          m([
            ['kid', r.kid],
            ['pub', r.publicKey],
            ['name', r.name],
          ]),
        ),
      ],
      [
        'agencies',
        list.agencies.map((a) =>
          m([
            ['id', a.id],
            ['name', label(a.name)],
            ['status', a.statusUrl],
            [
              'types',
              a.documentTypes.map((t) =>
                m([
                  ['id', t.id],
                  ['name', label(t.name)],
                  [
                    'fields',
                    t.fields.map((f) =>
                      m([
                        ['id', f.id],
                        ['label', label(f.label)],
                      ]),
                    ),
                  ],
                ]),
              ),
            ],
            [
              'keys',
              a.keys.map((k) =>
                m([
                  ['kid', k.kid],
                  ['pub', k.publicKey],
                  ['nbf', k.notBefore],
                  ['naf', k.notAfter],
                  ['status', k.status],
                  ['revokedAt', k.revokedAt],
                  ['reason', k.reason],
                ]),
              ),
            ],
          ]),
        ),
      ],
    ]),
  );
}

// ---- strict reading -------------------------------------------------------------------------

function asMap(v: CborValue | undefined, where: string, allowed: readonly string[]): CMap {
  if (!(v instanceof Map)) throw malformed(`trust list: ${where} must be a map`);
  for (const k of v.keys())
    if (typeof k !== 'string' || !allowed.includes(k)) throw malformed(`trust list: ${where} has an unknown key ${JSON.stringify(k)}`);
  return v;
}
function asArray(v: CborValue | undefined, where: string): CborValue[] {
  if (!Array.isArray(v)) throw malformed(`trust list: ${where} must be an array`);
  return v;
}
function asText(v: CborValue | undefined, where: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > TRUST_LIST_LIMITS.textLength)
    throw malformed(`trust list: ${where} must be non-empty text`);
  return v;
}
function asId(v: CborValue | undefined, where: string): string {
  if (typeof v !== 'string' || !ID_RE.test(v)) throw malformed(`trust list: ${where} must be an id (letters, digits, . _ -)`);
  return v;
}
function asUint(v: CborValue | undefined, where: string): number {
  if (typeof v !== 'number' || v < 0) throw malformed(`trust list: ${where} must be a whole number`);
  return v;
}
function asBytes(v: CborValue | undefined, n: number, where: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== n) throw malformed(`trust list: ${where} must be ${n} bytes`);
  return v;
}
function asLabel(v: CborValue | undefined, where: string): Label {
  const l = asMap(v, where, ['ar', 'en', 'ckb']);
  const out: Label = { ar: asText(l.get('ar'), `${where}.ar`), en: asText(l.get('en'), `${where}.en`) };
  if (l.has('ckb')) out.ckb = asText(l.get('ckb'), `${where}.ckb`);
  return out;
}
function asUrl(v: CborValue | undefined, where: string): string {
  const t = asText(v, where);
  if (!isStatusUrl(t)) throw malformed(`trust list: ${where} must be an http(s) URL`);
  return t;
}

/**
 * A status-list URL a verifier may fetch: http(s), a host, no credentials, no spaces or controls, at most 512
 * characters. @example isStatusUrl('https://moj.example/status/MOJ') // true
 */
export function isStatusUrl(t: string): boolean {
  if (t.length > 512 || !/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/.test(t)) return false;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) < 0x21 || t.charCodeAt(i) > 0x7e) return false;
  return true;
}

/** CBOR payload bytes -> TrustList, strictly. Throws UrsealError('MALFORMED') naming the field. */
export function decodeTrustListPayload(payload: Uint8Array): TrustList {
  const top = asMap(
    decodeCbor(payload, { maxDepth: TRUST_LIST_LIMITS.maxDepth, maxItems: TRUST_LIST_LIMITS.maxItems, maxStringBytes: 64 * 1024 }),
    'payload',
    ['v', 'iss', 'seq', 'iat', 'exp', 'roots', 'agencies'],
  );
  if (top.get('v') !== 1) throw malformed('trust list: version must be 1');
  const list: TrustList = {
    issuer: asText(top.get('iss'), 'iss'),
    sequence: asUint(top.get('seq'), 'seq'),
    issuedAt: asUint(top.get('iat'), 'iat'),
    expiresAt: asUint(top.get('exp'), 'exp'),
    roots: asArray(top.get('roots'), 'roots').map((r, i): RootKey => {
      const rm = asMap(r, `roots[${i}]`, ['kid', 'pub', 'name']);
      const root: RootKey = { kid: asBytes(rm.get('kid'), 8, `roots[${i}].kid`), publicKey: asBytes(rm.get('pub'), 32, `roots[${i}].pub`) };
      if (rm.has('name')) root.name = asText(rm.get('name'), `roots[${i}].name`);
      return root;
    }),
    agencies: asArray(top.get('agencies'), 'agencies').map((a, i): Agency => {
      const w = `agencies[${i}]`;
      const am = asMap(a, w, ['id', 'name', 'types', 'keys', 'status']);
      return {
        ...(am.has('status') ? { statusUrl: asUrl(am.get('status'), `${w}.status`) } : {}),
        id: asId(am.get('id'), `${w}.id`),
        name: asLabel(am.get('name'), `${w}.name`),
        documentTypes: asArray(am.get('types'), `${w}.types`).map((t, j): DocumentType => {
          const tw = `${w}.types[${j}]`;
          const tm = asMap(t, tw, ['id', 'name', 'fields']);
          return {
            id: asId(tm.get('id'), `${tw}.id`),
            name: asLabel(tm.get('name'), `${tw}.name`),
            fields: asArray(tm.get('fields'), `${tw}.fields`).map((f, k) => {
              const fm = asMap(f, `${tw}.fields[${k}]`, ['id', 'label']);
              return { id: asId(fm.get('id'), `${tw}.fields[${k}].id`), label: asLabel(fm.get('label'), `${tw}.fields[${k}].label`) };
            }),
          };
        }),
        keys: asArray(am.get('keys'), `${w}.keys`).map((k, j): AgencyKey => {
          const kw = `${w}.keys[${j}]`;
          const km = asMap(k, kw, ['kid', 'pub', 'nbf', 'naf', 'status', 'revokedAt', 'reason']);
          const status = km.get('status');
          if (typeof status !== 'string' || !STATUSES.includes(status as KeyStatus))
            throw malformed(`trust list: ${kw}.status must be active, retired or revoked`);
          const key: AgencyKey = {
            kid: asBytes(km.get('kid'), 8, `${kw}.kid`),
            publicKey: asBytes(km.get('pub'), 32, `${kw}.pub`),
            notBefore: asUint(km.get('nbf'), `${kw}.nbf`),
            notAfter: asUint(km.get('naf'), `${kw}.naf`),
            status: status as KeyStatus,
          };
          if (km.has('revokedAt')) key.revokedAt = asUint(km.get('revokedAt'), `${kw}.revokedAt`);
          if (km.has('reason')) key.reason = asText(km.get('reason'), `${kw}.reason`);
          return key;
        }),
      };
    }),
  };
  validateTrustList(list);
  return list;
}

/**
 * Consistency rules a well-formed list must meet: unique ids and kids, kid = SHA-256(pub)[0..8],
 * windows in order, revocation data only on revoked keys, at least one root. Throws MALFORMED.
 */
export function validateTrustList(list: TrustList): void {
  if (list.issuer !== 'NDC') throw malformed('trust list: issuer must be NDC');
  if (!Number.isSafeInteger(list.sequence) || list.sequence < 0) throw malformed('trust list: sequence must be a whole number');
  if (!(list.expiresAt > list.issuedAt)) throw malformed('trust list: exp must be after iat');
  if (list.roots.length === 0) throw malformed('trust list: at least one root must be trusted for the next list');
  const kids = new Set<string>();
  const checkKid = (kid: Uint8Array, pub: Uint8Array, where: string) => {
    if (!bytesEqual(kid, keyId(pub))) throw malformed(`trust list: ${where} kid does not match its public key`);
    const h = toHex(kid);
    if (kids.has(h)) throw malformed(`trust list: kid ${h} appears twice`);
    kids.add(h);
  };
  list.roots.forEach((r, i) => checkKid(r.kid, r.publicKey, `roots[${i}]`));
  const ids = new Set<string>();
  for (const a of list.agencies) {
    if (ids.has(a.id)) throw malformed(`trust list: agency ${a.id} appears twice`);
    if (a.statusUrl !== undefined && !isStatusUrl(a.statusUrl)) throw malformed(`trust list: agency ${a.id} status URL must be http(s)`);
    ids.add(a.id);
    const types = new Set<string>();
    for (const t of a.documentTypes) {
      if (types.has(t.id)) throw malformed(`trust list: agency ${a.id} has document type ${t.id} twice`);
      types.add(t.id);
      const fields = new Set<string>();
      for (const f of t.fields) {
        if (fields.has(f.id)) throw malformed(`trust list: document type ${a.id}/${t.id} has field ${f.id} twice`);
        fields.add(f.id);
      }
    }
    for (const k of a.keys) {
      checkKid(k.kid, k.publicKey, `agency ${a.id}`);
      if (!(k.notAfter > k.notBefore)) throw malformed(`trust list: key ${toHex(k.kid)} window ends before it starts`);
      if (k.status === 'revoked' ? k.revokedAt === undefined : k.revokedAt !== undefined || k.reason !== undefined) {
        throw malformed(`trust list: key ${toHex(k.kid)} revocation time goes with status revoked`);
      }
    }
  }
}
