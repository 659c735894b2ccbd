// Verifying a seal: one public function running fixed, ordered steps, each small and named.
import { toHex } from '../bytes.js';
import { verifySign1, verifySign1Sync } from '../cose/sign1.js';
import type { Ed25519Backend } from '../crypto/backend.js';
import { UrsealError } from '../errors.js';
import { describe, type Message, type ResultCode, type Verdict } from '../results.js';
import { isRevoked, MAX_STATUS_BITS } from '../status-list/codec.js';
import type { VerifiedStatusList } from '../status-list/verify.js';
import type { Agency, AgencyKey, KeyStatus, Label } from '../trust-list/types.js';
import type { VerifiedTrustList } from '../trust-list/verify.js';
import type { FieldValue, SealClaims } from './claims.js';
import { decodeSeal, decodeSealTransient, type DecodedSeal } from './decode.js';

export interface VerifySealOptions {
  /** A trust list that verified (see verifyTrustList). */
  trust: VerifiedTrustList;
  /** Verified status lists, by agency id (the newest copy held of each). */
  statusLists?: ReadonlyMap<string, VerifiedStatusList>;
  /** Current time in seconds. Default: the clock. */
  now?: number;
  /** Tolerated clock difference for an issue time in the future, seconds. Default 300. */
  clockSkew?: number;
}

/** One signed field with its published label (label absent when the trust list does not name the field). */
export interface ShownField {
  id: string;
  label?: Label;
  value: FieldValue;
}

/** The single result of verifying a seal. Details are present as far as verification got. */
export interface SealResult {
  code: ResultCode;
  /** True only for VALID. */
  valid: boolean;
  verdict: Verdict;
  /** What the code means, for a person. */
  message: Message;
  /** Technical detail (English), e.g. which field did not parse. */
  reason?: string;
  /** The signed claims (present once decoded; trust them only when `valid`). */
  claims?: SealClaims;
  agency?: { id: string; name: Label };
  documentType?: { id: string; name?: Label };
  fields?: ShownField[];
  key?: { kid: string; status: KeyStatus; notBefore: number; notAfter: number; revokedAt?: number; reason?: string };
  /** A paper seal (no file hash): the person must compare the printed text with the signed fields. */
  paper?: boolean;
  trustList: { sequence: number; issuedAt: number; expiresAt: number; stale: boolean };
  statusList?: { checked: boolean; sequence?: number; issuedAt?: number; stale?: boolean };
}

interface Context {
  opts: VerifySealOptions;
  now: number;
  result: SealResult;
  decoded?: DecodedSeal;
  agency?: Agency;
  key?: AgencyKey;
}

/** Seconds since 1970 as an ISO 8601 date in UTC, for reasons a person reads. */
function isoDate(seconds: number): string {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(seconds);
}

function finish(ctx: Context, code: ResultCode, reason?: string): SealResult {
  // Describe the document once, with the agency that owns the key if known, else the one the seal names.
  if (ctx.decoded) describeDocument(ctx, ctx.agency ?? ctx.opts.trust.findAgency(ctx.decoded.claims.iss));
  const info = describe(code);
  ctx.result.code = code;
  ctx.result.valid = code === 'VALID';
  ctx.result.verdict = info.verdict;
  ctx.result.message = info.message;
  if (reason !== undefined) ctx.result.reason = reason;
  return ctx.result;
}

// Step 1: decode (strict, bounded; never throws at the caller). The synchronous check may decode into
// reused buffers (decodeSealTransient): nothing but the claims leaves it, and no other check can run meanwhile.
function stepDecode(ctx: Context, input: string, transient: boolean): SealResult | undefined {
  try {
    ctx.decoded = transient ? decodeSealTransient(input) : decodeSeal(input);
  } catch (e) {
    if (e instanceof UrsealError) return finish(ctx, e.code === 'UNSUPPORTED' ? 'UNSUPPORTED' : 'MALFORMED', e.message);
    return finish(ctx, 'MALFORMED', 'unexpected decoding failure');
  }
  const c = ctx.decoded.claims;
  ctx.result.claims = c;
  ctx.result.paper = c.doc.hash === undefined;
  return undefined;
}

// Step 2: find the key by kid in the trust list, and describe what the seal claims.
function stepFindKey(ctx: Context): SealResult | undefined {
  const { kid, claims } = ctx.decoded!;
  const found = ctx.opts.trust.findKey(kid);
  if (!found) return finish(ctx, 'UNKNOWN_KEY', `no published key has kid ${toHex(kid)} (seal names ${claims.iss})`);
  ctx.agency = found.agency;
  ctx.key = found.key;
  const k = found.key;
  ctx.result.key = { kid: found.kidHex, status: k.status, notBefore: k.notBefore, notAfter: k.notAfter };
  if (k.revokedAt !== undefined) ctx.result.key.revokedAt = k.revokedAt;
  if (k.reason !== undefined) ctx.result.key.reason = k.reason;
  return undefined;
}

function describeDocument(ctx: Context, agency: Agency | undefined): void {
  const doc = ctx.decoded!.claims.doc;
  const type = agency?.documentTypes.find((t) => t.id === doc.type);
  if (agency) ctx.result.agency = { id: agency.id, name: agency.name };
  ctx.result.documentType = type ? { id: type.id, name: type.name } : { id: doc.type };
  // Fields in the order the agency published them, then any it did not name (shown by id).
  const published = type?.fields ?? [];
  const fields: ShownField[] = [];
  for (const f of published) if (Object.hasOwn(doc.fields, f.id)) fields.push({ id: f.id, label: f.label, value: doc.fields[f.id]! });
  for (const id of Object.keys(doc.fields)) {
    if (!published.some((f) => f.id === id)) fields.push({ id, value: doc.fields[id]! });
  }
  ctx.result.fields = fields;
}

// Step 4 onwards: everything after the signature, in order of severity.
function stepsAfterSignature(ctx: Context, signatureOk: boolean): SealResult {
  if (!signatureOk) return finish(ctx, 'BAD_SIGNATURE', 'Ed25519 signature does not verify');
  const c = ctx.decoded!.claims;
  const key = ctx.key!;
  // The key's agency must be the one the seal names: an agency can only speak for itself.
  if (ctx.agency!.id !== c.iss) return finish(ctx, 'ISSUER_MISMATCH', `seal names ${c.iss}, key belongs to ${ctx.agency!.id}`);
  // A revoked key fails every seal it made: whoever stole it can write any iat.
  if (key.status === 'revoked') return finish(ctx, 'KEY_REVOKED');
  if (c.iat < key.notBefore || c.iat > key.notAfter)
    return finish(ctx, 'OUTSIDE_KEY_VALIDITY', `issued ${isoDate(c.iat)}, key valid ${isoDate(key.notBefore)} to ${isoDate(key.notAfter)}`);
  if (c.exp !== undefined && ctx.now >= c.exp) return finish(ctx, 'EXPIRED', `expired ${isoDate(c.exp)}`);
  const statusResult = stepStatus(ctx);
  if (statusResult) return statusResult;
  const unpublished = stepPublished(ctx);
  if (unpublished) return unpublished;
  if (c.iat > ctx.now + (ctx.opts.clockSkew ?? 300))
    return finish(ctx, 'ISSUED_IN_FUTURE', `issued ${isoDate(c.iat)}, clock says ${isoDate(ctx.now)}`);
  // A seal that can be revoked, checked without its agency's status list, is not plainly valid: say so.
  if (c.doc.status !== undefined && ctx.result.statusList?.checked === false)
    return finish(ctx, 'STATUS_UNKNOWN', `no status list of ${c.iss} was available: revocation of index ${c.doc.status} not checked`);
  if (ctx.result.trustList.stale) return finish(ctx, 'TRUST_LIST_STALE');
  return finish(ctx, 'VALID');
}

// Step 5: the document's own revocation bit, from the newest status list held for the agency. An index no list
// can hold, or one past the end of a list made after the seal, can never be revoked: a warning, with the reason.
// (A list made before the seal, or in the same second, may simply predate the index: not this step's verdict.)
function stepStatus(ctx: Context): SealResult | undefined {
  const c = ctx.decoded!.claims;
  const index = c.doc.status;
  if (index === undefined) return undefined;
  const held = ctx.opts.statusLists?.get(c.iss);
  if (!held) {
    ctx.result.statusList = { checked: false };
    if (index >= MAX_STATUS_BITS)
      return finish(ctx, 'STATUS_OUT_OF_RANGE', `status index ${index} is beyond any status list (${MAX_STATUS_BITS})`);
    return undefined;
  }
  const l = held.list;
  ctx.result.statusList = { checked: true, sequence: l.sequence, issuedAt: l.issuedAt, stale: held.stale };
  if (isRevoked(l, index)) return finish(ctx, 'DOCUMENT_REVOKED', `status index ${index} is set`);
  if (index >= l.size && (index >= MAX_STATUS_BITS || l.issuedAt > c.iat)) {
    ctx.result.statusList.checked = false;
    return finish(
      ctx,
      'STATUS_OUT_OF_RANGE',
      `status index ${index} is beyond ${c.iss}'s status list #${l.sequence} (${l.size} entries, made ${isoDate(l.issuedAt)})`,
    );
  }
  return undefined;
}

// Step 6: what the seal says must be what the trust list names: a document type or field the agency has not
// published would be shown by a bare id, which a clerk can misread. A warning naming what is missing.
function stepPublished(ctx: Context): SealResult | undefined {
  const doc = ctx.decoded!.claims.doc;
  const type = ctx.agency!.documentTypes.find((t) => t.id === doc.type);
  if (!type) return finish(ctx, 'UNPUBLISHED_CONTENT', `document type ${JSON.stringify(doc.type)} is not published for ${ctx.agency!.id}`);
  const unknown = Object.keys(doc.fields).filter((id) => !type.fields.some((f) => f.id === id));
  if (unknown.length > 0)
    return finish(
      ctx,
      'UNPUBLISHED_CONTENT',
      `field${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => JSON.stringify(id)).join(', ')} not published for ${ctx.agency!.id} ${type.id}`,
    );
  return undefined;
}

function start(opts: VerifySealOptions): Context {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const l = opts.trust.list;
  const info = describe('MALFORMED');
  return {
    opts,
    now,
    result: {
      code: 'MALFORMED',
      valid: false,
      verdict: info.verdict,
      message: info.message,
      trustList: { sequence: l.sequence, issuedAt: l.issuedAt, expiresAt: l.expiresAt, stale: now > l.expiresAt },
    },
  };
}

/**
 * Verify a seal text (or link) against a verified trust list, optional status lists and a clock.
 * Steps, in order: decode -> find key -> signature -> issuer matches key's agency -> key not revoked ->
 * iat inside key window -> not expired -> status bit clear (and the index inside the agency's list) -> type and fields
 * published -> clock sane -> trust list fresh.
 * Never throws for bad input: every outcome is a `SealResult` with a code.
 * @example
 * const r = await verifySeal(text, backend, { trust, statusLists })
 * console.log(r.code, r.message.ar)
 */
export async function verifySeal(input: string, backend: Ed25519Backend, opts: VerifySealOptions): Promise<SealResult> {
  const ctx = start(opts);
  const early = stepDecode(ctx, input, false) ?? stepFindKey(ctx);
  if (early) return early;
  const ok = await verifySign1(backend, ctx.key!.publicKey, ctx.decoded!.cose);
  return stepsAfterSignature(ctx, ok);
}

/** Synchronous `verifySeal` for backends with `sync: true` (node:crypto, noble). */
export function verifySealSync(input: string, backend: Ed25519Backend, opts: VerifySealOptions): SealResult {
  const ctx = start(opts);
  const early = stepDecode(ctx, input, true) ?? stepFindKey(ctx);
  if (early) return early;
  return stepsAfterSignature(ctx, verifySign1Sync(backend, ctx.key!.publicKey, ctx.decoded!.cose));
}
