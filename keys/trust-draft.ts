// The trust-list draft: a readable JSON working file the NDC edits command by command, then signs.
import { fromHex, toHex } from '../core/bytes.js';
import { keyId } from '../core/hash.js';
import { validateTrustList } from '../core/trust-list/codec.js';
import { isStatusUrl } from '../core/trust-list/codec.js';
import type { Agency, AgencyKey, DocumentType, FieldLabel, Label, RootKey, TrustList } from '../core/trust-list/types.js';
import { UrsealError } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';
import { UserError, userError, withSuffix } from './errors.js';
import { readJsonChecked } from './files.js';
import { checkPublicKey } from './public-key.js';
import { formatTime, readStoredTime } from './time.js';

/*
 * DRAFT FILE "urseal-trust-list-draft", version 1 (JSON):
 *   { "format": "urseal-trust-list-draft", "version": 1,
 *     "lastSequence": 0,            the sequence of the last list signed from this draft (0: none yet)
 *     "lastSignedAt"?: ISO,
 *     "validDays": 30,              a signed list expires this many days after signing ...
 *     "expiresAt"?: ISO,            ... unless a fixed expiry is set
 *     "roots":    [{ "kid", "publicKey", "name"? }],
 *     "agencies": [{ "id", "name": {ar, en}, "documentTypes": [{ "id", "name": {ar, en}, "fields": [{ "id", "label": {ar, en} }] }],
 *                    "keys": [{ "kid", "publicKey", "notBefore": ISO, "notAfter": ISO, "status", "revokedAt"?: ISO, "reason"? }] }] }
 * Keys and kids are lower-case hex, times ISO 8601 UTC. The signed list's JSON export has the same shape
 * plus "issuer", "sequence", "issuedAt", "expiresAt" and "signedBy".
 */

export const DRAFT_FORMAT = 'urseal-trust-list-draft';
export const EXPORT_FORMAT = 'urseal-trust-list';

/** A trust-list draft in memory (times in seconds, keys as bytes). */
export interface TrustDraft {
  lastSequence: number;
  lastSignedAt?: number;
  validDays: number;
  expiresAt?: number;
  roots: RootKey[];
  agencies: Agency[];
}

/** An agency as given to add-agency (no keys yet). */
export interface AgencySpec {
  id: string;
  name: Label;
  documentTypes: DocumentType[];
  /** Where the agency publishes its status list (http(s) URL); verifiers fetch it to check revocation. */
  statusUrl?: string;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Document-type and field ids go into seals, which allow 32 characters (core SEAL_LIMITS.idLength). */
const SHORT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

const bad = (where: string) => userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة قائمة المفاتيح تالفة', 'malformed trust-list draft', where);

/**
 * A new, empty draft.
 * @example const d = emptyDraft(30);
 */
export function emptyDraft(validDays = 30): TrustDraft {
  return { lastSequence: 0, validDays, roots: [], agencies: [] };
}

// ---- JSON <-> draft ---------------------------------------------------------------------------

function labelJson(l: Label): Label {
  return { ar: l.ar, en: l.en, ...(l.ckb !== undefined ? { ckb: l.ckb } : {}) };
}

function keyJson(k: AgencyKey): Record<string, unknown> {
  return {
    kid: toHex(k.kid),
    publicKey: toHex(k.publicKey),
    notBefore: formatTime(k.notBefore),
    notAfter: formatTime(k.notAfter),
    status: k.status,
    ...(k.revokedAt !== undefined ? { revokedAt: formatTime(k.revokedAt) } : {}),
    ...(k.reason !== undefined ? { reason: k.reason } : {}),
  };
}

function agencyJson(a: Agency): Record<string, unknown> {
  return {
    id: a.id,
    name: labelJson(a.name),
    ...(a.statusUrl !== undefined ? { statusUrl: a.statusUrl } : {}),
    documentTypes: a.documentTypes.map((t) => ({
      id: t.id,
      name: labelJson(t.name),
      fields: t.fields.map((f) => ({ id: f.id, label: labelJson(f.label) })),
    })),
    keys: a.keys.map(keyJson),
  };
}

function rootJson(r: RootKey): Record<string, unknown> {
  return { kid: toHex(r.kid), publicKey: toHex(r.publicKey), ...(r.name !== undefined ? { name: r.name } : {}) };
}

/** Draft -> the JSON object stored on disk. */
export function draftToJson(d: TrustDraft): Record<string, unknown> {
  return {
    format: DRAFT_FORMAT,
    version: 1,
    lastSequence: d.lastSequence,
    ...(d.lastSignedAt !== undefined ? { lastSignedAt: formatTime(d.lastSignedAt) } : {}),
    validDays: d.validDays,
    ...(d.expiresAt !== undefined ? { expiresAt: formatTime(d.expiresAt) } : {}),
    roots: d.roots.map(rootJson),
    agencies: d.agencies.map(agencyJson),
  };
}

/**
 * A signed list -> its readable JSON export.
 * @example writeFileAtomic('trust-list.json', JSON.stringify(trustListToJson(list, rootKid), null, 2))
 */
export function trustListToJson(list: TrustList, signedBy?: Uint8Array): Record<string, unknown> {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    issuer: list.issuer,
    sequence: list.sequence,
    issuedAt: formatTime(list.issuedAt),
    expiresAt: formatTime(list.expiresAt),
    ...(signedBy ? { signedBy: toHex(signedBy) } : {}),
    roots: list.roots.map(rootJson),
    agencies: list.agencies.map(agencyJson),
  };
}

function obj(v: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(`${where} must be an object`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw bad(`${where} has an unknown field ${JSON.stringify(k)}`);
  return v as Record<string, unknown>;
}
function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw bad(`${where} must be an array`);
  return v;
}
function text(v: unknown, where: string, max = 512): string {
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > max)
    throw bad(`${where} must be non-empty text (at most ${max} characters)`);
  return v;
}
function id(v: unknown, where: string, re = ID_RE): string {
  if (typeof v !== 'string' || !re.test(v)) throw bad(`${where} must be an id (letters, digits, . _ -)`);
  return v;
}
function label(v: unknown, where: string): Label {
  const o = obj(v, where, ['ar', 'en', 'ckb']);
  return {
    ar: text(o['ar'], `${where}.ar`),
    en: text(o['en'], `${where}.en`),
    ...(o['ckb'] !== undefined ? { ckb: text(o['ckb'], `${where}.ckb`) } : {}),
  };
}
function statusUrl(v: unknown, where: string): string {
  if (typeof v !== 'string' || !isStatusUrl(v)) throw bad(`${where} must be an http(s) URL`);
  return v;
}
function hexBytes(v: unknown, n: number, where: string): Uint8Array {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${2 * n}}$`).test(v)) throw bad(`${where} must be ${2 * n} hex digits`);
  return fromHex(v.toLowerCase());
}
function uint(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${where} must be a whole number`);
  return v;
}

function readDocumentTypes(v: unknown, where: string): DocumentType[] {
  return arr(v, where).map((t, j): DocumentType => {
    const tw = `${where}[${j}]`;
    const to = obj(t, tw, ['id', 'name', 'fields']);
    return {
      id: id(to['id'], `${tw}.id`, SHORT_ID_RE),
      name: label(to['name'], `${tw}.name`),
      fields: arr(to['fields'] ?? [], `${tw}.fields`).map((f, k): FieldLabel => {
        const fo = obj(f, `${tw}.fields[${k}]`, ['id', 'label']);
        return { id: id(fo['id'], `${tw}.fields[${k}].id`, SHORT_ID_RE), label: label(fo['label'], `${tw}.fields[${k}].label`) };
      }),
    };
  });
}

function readKey(v: unknown, where: string): AgencyKey {
  const o = obj(v, where, ['kid', 'publicKey', 'notBefore', 'notAfter', 'status', 'revokedAt', 'reason']);
  const status = o['status'];
  if (status !== 'active' && status !== 'retired' && status !== 'revoked') throw bad(`${where}.status must be active, retired or revoked`);
  const k: AgencyKey = {
    kid: hexBytes(o['kid'], 8, `${where}.kid`),
    publicKey: hexBytes(o['publicKey'], 32, `${where}.publicKey`),
    notBefore: readStoredTime(o['notBefore'], `${where}.notBefore`),
    notAfter: readStoredTime(o['notAfter'], `${where}.notAfter`),
    status,
  };
  if (o['revokedAt'] !== undefined) k.revokedAt = readStoredTime(o['revokedAt'], `${where}.revokedAt`);
  if (o['reason'] !== undefined) k.reason = text(o['reason'], `${where}.reason`);
  return k;
}

function readRoot(v: unknown, where: string): RootKey {
  const o = obj(v, where, ['kid', 'publicKey', 'name']);
  const r: RootKey = { kid: hexBytes(o['kid'], 8, `${where}.kid`), publicKey: hexBytes(o['publicKey'], 32, `${where}.publicKey`) };
  if (o['name'] !== undefined) r.name = text(o['name'], `${where}.name`);
  return r;
}

/**
 * Strictly read a draft object (as parsed from JSON). URSEAL_E_DRAFT_MALFORMED naming the field.
 * @example const d = draftFromJson(JSON.parse(text));
 */
export function draftFromJson(v: unknown): TrustDraft {
  const o = obj(v, 'draft', ['format', 'version', 'lastSequence', 'lastSignedAt', 'validDays', 'expiresAt', 'roots', 'agencies']);
  if (o['format'] !== DRAFT_FORMAT) throw bad(`format must be ${DRAFT_FORMAT}`);
  if (o['version'] !== 1) throw bad('version must be 1');
  const d: TrustDraft = {
    lastSequence: uint(o['lastSequence'], 'lastSequence'),
    validDays: uint(o['validDays'], 'validDays'),
    roots: arr(o['roots'], 'roots').map((r, i) => readRoot(r, `roots[${i}]`)),
    agencies: arr(o['agencies'], 'agencies').map((a, i): Agency => {
      const w = `agencies[${i}]`;
      const ao = obj(a, w, ['id', 'name', 'documentTypes', 'keys', 'statusUrl']);
      return {
        id: id(ao['id'], `${w}.id`),
        name: label(ao['name'], `${w}.name`),
        ...(ao['statusUrl'] !== undefined ? { statusUrl: statusUrl(ao['statusUrl'], `${w}.statusUrl`) } : {}),
        documentTypes: readDocumentTypes(ao['documentTypes'] ?? [], `${w}.documentTypes`),
        keys: arr(ao['keys'] ?? [], `${w}.keys`).map((k, j) => readKey(k, `${w}.keys[${j}]`)),
      };
    }),
  };
  if (d.validDays < 1) throw bad('validDays must be at least 1');
  if (o['lastSignedAt'] !== undefined) d.lastSignedAt = readStoredTime(o['lastSignedAt'], 'lastSignedAt');
  if (o['expiresAt'] !== undefined) d.expiresAt = readStoredTime(o['expiresAt'], 'expiresAt');
  return d;
}

/**
 * Read a draft file. URSEAL_E_FILE_NOT_FOUND / URSEAL_E_DRAFT_MALFORMED.
 * @example const d = loadDraft('ndc/draft.json');
 */
export function loadDraft(path: string): TrustDraft {
  const v = readJsonChecked(path);
  try {
    return draftFromJson(v);
  } catch (e) {
    if (e instanceof UserError) throw withSuffix(e, ` (${path})`);
    throw e;
  }
}

/**
 * Write a draft atomically (replacing the previous version).
 * @example saveDraft('ndc/draft.json', d, { create: true });
 */
export function saveDraft(path: string, d: TrustDraft, options: { create?: boolean; overwrite?: boolean } = {}): void {
  writeFileAtomic(path, `${JSON.stringify(draftToJson(d), null, 2)}\n`, {
    overwrite: options.create ? (options.overwrite ?? false) : true,
  });
}

/**
 * An agency spec from a JSON object ({ id, name: {ar, en}, documentTypes: [...] }), e.g. a file given to add-agency.
 * @example agencySpecFromJson(JSON.parse(readFileSync('moj.json', 'utf8')))
 */
export function agencySpecFromJson(v: unknown): AgencySpec {
  const o = obj(v, 'agency', ['id', 'name', 'documentTypes', 'statusUrl']);
  return {
    id: id(o['id'], 'id'),
    name: label(o['name'], 'name'),
    ...(o['statusUrl'] !== undefined ? { statusUrl: statusUrl(o['statusUrl'], 'statusUrl') } : {}),
    documentTypes: readDocumentTypes(o['documentTypes'] ?? [], 'documentTypes'),
  };
}

// ---- editing ---------------------------------------------------------------------------------

/** The agency with this id; URSEAL_E_UNKNOWN_AGENCY. */
export function findAgency(d: TrustDraft, agencyId: string): Agency {
  const a = d.agencies.find((x) => x.id === agencyId);
  if (!a) throw userError('URSEAL_E_UNKNOWN_AGENCY', 'جهة غير موجودة في المسودة', 'unknown agency in the draft', agencyId);
  return a;
}

/** The agency key with this kid (16 hex digits); URSEAL_E_UNKNOWN_KEY. */
export function findKey(d: TrustDraft, kidHex: string): { agency: Agency; key: AgencyKey } {
  for (const agency of d.agencies) for (const key of agency.keys) if (toHex(key.kid) === kidHex) return { agency, key };
  throw userError('URSEAL_E_UNKNOWN_KEY', 'مفتاح غير موجود في المسودة', 'no key with this kid in the draft', kidHex);
}

function checkSpec(spec: AgencySpec): void {
  const types = new Set<string>();
  for (const t of spec.documentTypes) {
    if (types.has(t.id)) throw userError('URSEAL_E_BAD_VALUE', 'نوع وثيقة مكرر', 'document type given twice', `${spec.id}/${t.id}`);
    types.add(t.id);
    const fields = new Set<string>();
    for (const f of t.fields) {
      if (fields.has(f.id)) throw userError('URSEAL_E_BAD_VALUE', 'حقل مكرر', 'field given twice', `${spec.id}/${t.id}/${f.id}`);
      fields.add(f.id);
    }
  }
}

/**
 * Add an agency (no keys yet). With `replace`, an existing agency gets the new names and document types
 * and keeps its keys. URSEAL_E_AGENCY_EXISTS otherwise.
 * @example addAgency(d, { id: 'MOJ', name: { ar: 'وزارة العدل', en: 'Ministry of Justice' }, documentTypes: [] })
 */
export function addAgency(d: TrustDraft, spec: AgencySpec, replace = false): void {
  checkSpec(spec);
  const existing = d.agencies.find((a) => a.id === spec.id);
  if (existing && !replace)
    throw userError(
      'URSEAL_E_AGENCY_EXISTS',
      'الجهة موجودة (استخدم --replace لتحديثها)',
      'agency already exists (use --replace to update it)',
      spec.id,
    );
  if (existing) {
    existing.name = spec.name;
    existing.documentTypes = spec.documentTypes;
    if (spec.statusUrl !== undefined) existing.statusUrl = spec.statusUrl;
    else delete existing.statusUrl;
  } else d.agencies.push({ ...spec, keys: [] });
}

function kidInUse(d: TrustDraft, kid: string): boolean {
  return d.roots.some((r) => toHex(r.kid) === kid) || d.agencies.some((a) => a.keys.some((k) => toHex(k.kid) === kid));
}

/**
 * Admit an agency key with its signing window [notBefore, notAfter]. Refuses small-order or non-canonical
 * keys (URSEAL_E_BAD_PUBLIC_KEY) and keys already in the draft (URSEAL_E_KEY_EXISTS).
 * @example addKey(d, 'MOJ', publicKey, T0, T0 + 2 * YEAR)
 */
export function addKey(d: TrustDraft, agencyId: string, publicKey: Uint8Array, notBefore: number, notAfter: number): AgencyKey {
  checkPublicKey(publicKey);
  const agency = findAgency(d, agencyId);
  const kid = keyId(publicKey);
  if (kidInUse(d, toHex(kid))) throw userError('URSEAL_E_KEY_EXISTS', 'المفتاح موجود في المسودة', 'key already in the draft', toHex(kid));
  if (!(notAfter > notBefore))
    throw userError(
      'URSEAL_E_BAD_DATE',
      'نهاية صلاحية المفتاح قبل بدايتها',
      'key window ends before it starts',
      `${formatTime(notBefore)}..${formatTime(notAfter)}`,
    );
  const key: AgencyKey = { kid, publicKey, notBefore, notAfter, status: 'active' };
  agency.keys.push(key);
  return key;
}

/**
 * Retire a key at `at`: it signs nothing after that, and everything it signed before keeps verifying.
 * @example retireKey(d, 'a1b2c3d4e5f60718', now)
 */
export function retireKey(d: TrustDraft, kidHex: string, at: number): AgencyKey {
  const { key } = findKey(d, kidHex);
  if (key.status === 'revoked') throw userError('URSEAL_E_BAD_VALUE', 'المفتاح ملغى أصلاً', 'the key is already revoked', kidHex);
  if (at <= key.notBefore)
    throw userError(
      'URSEAL_E_BAD_DATE',
      'تاريخ الإيقاف قبل بداية صلاحية المفتاح',
      'retirement time is before the key window starts',
      formatTime(at),
    );
  key.status = 'retired';
  if (at < key.notAfter) key.notAfter = at;
  return key;
}

/**
 * Revoke a key (e.g. stolen): every seal it made then fails with KEY_REVOKED, whatever its date.
 * @example revokeKey(d, 'a1b2c3d4e5f60718', now, 'key stolen')
 */
export function revokeKey(d: TrustDraft, kidHex: string, at: number, reason?: string): AgencyKey {
  const { key } = findKey(d, kidHex);
  if (reason !== undefined && (reason.trim() === '' || reason.length > 512))
    throw userError('URSEAL_E_BAD_VALUE', 'سبب غير صالح', 'invalid reason', '1-512 characters');
  key.status = 'revoked';
  key.revokedAt = at;
  if (reason !== undefined) key.reason = reason;
  else delete key.reason;
  return key;
}

/**
 * Trust a root for signing the next lists (root rotation). Refuses bad keys and duplicates.
 * @example addRoot(d, newRootPublicKey, 'NDC root 2027')
 */
export function addRoot(d: TrustDraft, publicKey: Uint8Array, name?: string): RootKey {
  checkPublicKey(publicKey);
  const kid = keyId(publicKey);
  if (kidInUse(d, toHex(kid))) throw userError('URSEAL_E_KEY_EXISTS', 'المفتاح موجود في المسودة', 'key already in the draft', toHex(kid));
  const root: RootKey = { kid, publicKey, ...(name !== undefined ? { name } : {}) };
  d.roots.push(root);
  return root;
}

/**
 * Stop trusting a root for the next lists. The last root cannot be removed (URSEAL_E_LAST_ROOT).
 * @example removeRoot(d, 'a1b2c3d4e5f60718')
 */
export function removeRoot(d: TrustDraft, kidHex: string): void {
  const i = d.roots.findIndex((r) => toHex(r.kid) === kidHex);
  if (i < 0) throw userError('URSEAL_E_UNKNOWN_ROOT', 'جذر غير موجود في المسودة', 'no root with this kid in the draft', kidHex);
  if (d.roots.length === 1) throw userError('URSEAL_E_LAST_ROOT', 'لا يمكن حذف الجذر الأخير', 'cannot remove the last root', kidHex);
  d.roots.splice(i, 1);
}

/**
 * Build the list to sign: sequence above every one signed before, times from `now`.
 * URSEAL_E_SEQUENCE if `sequence` is not above `lastSequence`; URSEAL_E_DRAFT_MALFORMED if the result breaks
 * a trust-list rule (e.g. no root).
 * @example const list = buildTrustList(d, { now, lastSequence: Math.max(d.lastSequence, published) })
 */
export function buildTrustList(d: TrustDraft, o: { now: number; lastSequence: number; sequence?: number; expiresAt?: number }): TrustList {
  const sequence = o.sequence ?? o.lastSequence + 1;
  if (!Number.isSafeInteger(sequence) || sequence <= o.lastSequence) {
    throw userError(
      'URSEAL_E_SEQUENCE',
      'رقم التسلسل يجب أن يزيد على آخر قائمة موقّعة',
      'sequence must be above the last signed list',
      `${sequence} <= ${o.lastSequence}`,
    );
  }
  const expiresAt = o.expiresAt ?? d.expiresAt ?? o.now + d.validDays * 86_400;
  if (expiresAt <= o.now)
    throw userError('URSEAL_E_BAD_DATE', 'تاريخ انتهاء القائمة في الماضي', 'list expiry is in the past', formatTime(expiresAt));
  if (d.roots.length === 0)
    throw userError(
      'URSEAL_E_DRAFT_MALFORMED',
      'المسودة بلا جذر؛ أضف جذراً بالأمر add-root',
      'the draft has no root; add one with add-root',
    );
  // A hand-edited draft could carry a key add-key would have refused: check every key again before signing.
  for (const r of d.roots) checkPublicKey(r.publicKey);
  for (const a of d.agencies) for (const k of a.keys) checkPublicKey(k.publicKey);
  const list: TrustList = { issuer: 'NDC', sequence, issuedAt: o.now, expiresAt, roots: d.roots, agencies: d.agencies };
  try {
    validateTrustList(list);
  } catch (e) {
    if (e instanceof UrsealError)
      throw userError('URSEAL_E_DRAFT_MALFORMED', 'المسودة تخالف قواعد القائمة', 'the draft breaks a trust-list rule', e.message, e);
    throw e;
  }
  return list;
}
