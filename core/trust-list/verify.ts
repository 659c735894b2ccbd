// Verifying a signed trust list: pinned or currently trusted root, rollback check, staleness, and a kid index.
import { toHex } from '../bytes.js';
import { decodeSign1, eddsaKid, verifySign1, verifySign1Sync, type Sign1 } from '../cose/sign1.js';
import type { Ed25519Backend } from '../crypto/backend.js';
import { UrsealError } from '../errors.js';
import { keyId } from '../hash.js';
import { describe, type Message, type ResultCode } from '../results.js';
import { decodeTrustListPayload, TRUST_LIST_LIMITS } from './codec.js';
import type { Agency, AgencyKey, RootKey, TrustList } from './types.js';

/** A trust list whose signature checked out, indexed for seal verification. */
export interface VerifiedTrustList {
  list: TrustList;
  /** The signed file as received (to store, publish or hand on). */
  bytes: Uint8Array;
  /** The root that signed it. */
  signedBy: RootKey;
  /** Agency and key for a kid, if published (with the kid in hex, as results show it). */
  findKey(kid: Uint8Array): { agency: Agency; key: AgencyKey; kidHex: string } | undefined;
  findAgency(id: string): Agency | undefined;
}

export type TrustListResult =
  | {
      ok: true;
      /** VALID, or TRUST_LIST_STALE when `now` is past the list's exp (usable, with a warning). */
      code: 'VALID' | 'TRUST_LIST_STALE';
      stale: boolean;
      /** The device clock is earlier than the list's issue time: the clock is wrong. */
      clockBehind: boolean;
      trust: VerifiedTrustList;
      message: Message;
    }
  | { ok: false; code: ResultCode; reason: string; message: Message };

export interface VerifyTrustListOptions {
  /** Public keys of the roots trusted now: pinned at install, or the `roots` of the last accepted list. */
  roots: readonly (Uint8Array | RootKey)[];
  /** The highest sequence number accepted so far; a lower one is a rollback. */
  lastSequence?: number;
  /** Current time in seconds. Default: the clock. */
  now?: number;
}

/** A kid as a Map key: one character per byte (cheaper to make than hex, and looked up on every seal). */
function kidKey(kid: Uint8Array): string {
  let s = '';
  for (let i = 0; i < kid.length; i++) s += String.fromCharCode(kid[i]!);
  return s;
}

function index(list: TrustList, bytes: Uint8Array, signedBy: RootKey): VerifiedTrustList {
  const byKid = new Map<string, { agency: Agency; key: AgencyKey; kidHex: string }>();
  const byId = new Map<string, Agency>();
  for (const agency of list.agencies) {
    byId.set(agency.id, agency);
    for (const key of agency.keys) byKid.set(kidKey(key.kid), { agency, key, kidHex: toHex(key.kid) });
  }
  return {
    list,
    bytes,
    signedBy,
    findKey: (kid) => byKid.get(kidKey(kid)),
    findAgency: (id) => byId.get(id),
  };
}

function fail(code: ResultCode, reason: string): TrustListResult {
  return { ok: false, code, reason, message: describe(code).message };
}

interface Prepared {
  msg: Sign1;
  root: RootKey;
}

function prepare(bytes: Uint8Array, options: VerifyTrustListOptions): Prepared | TrustListResult {
  if (bytes.length > TRUST_LIST_LIMITS.maxBytes) return fail('MALFORMED', `trust list larger than ${TRUST_LIST_LIMITS.maxBytes} bytes`);
  let msg: Sign1;
  let kid: Uint8Array;
  try {
    msg = decodeSign1(bytes, { limits: { maxDepth: 4, maxItems: 16, maxStringBytes: TRUST_LIST_LIMITS.maxBytes } });
    kid = eddsaKid(msg);
  } catch (e) {
    if (e instanceof UrsealError) return fail(e.code === 'UNSUPPORTED' ? 'UNSUPPORTED' : 'MALFORMED', e.message);
    throw e;
  }
  const roots = options.roots.map((r) => (r instanceof Uint8Array ? { kid: keyId(r), publicKey: r } : r));
  const kidHex = toHex(kid);
  const root = roots.find((r) => toHex(r.kid) === kidHex);
  if (!root) return fail('TRUST_LIST_UNTRUSTED', `signed by key ${kidHex}, which is not a trusted root`);
  return { msg, root };
}

function finish(bytes: Uint8Array, p: Prepared, signatureOk: boolean, options: VerifyTrustListOptions): TrustListResult {
  if (!signatureOk) return fail('TRUST_LIST_UNTRUSTED', 'the root signature does not verify');
  let list: TrustList;
  try {
    list = decodeTrustListPayload(p.msg.payload);
  } catch (e) {
    if (e instanceof UrsealError) return fail('MALFORMED', e.message);
    throw e;
  }
  if (options.lastSequence !== undefined && list.sequence < options.lastSequence) {
    return fail('TRUST_LIST_ROLLBACK', `sequence ${list.sequence} is lower than ${options.lastSequence}, already accepted`);
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const stale = now > list.expiresAt;
  const code = stale ? 'TRUST_LIST_STALE' : 'VALID';
  return { ok: true, code, stale, clockBehind: now < list.issuedAt, trust: index(list, bytes, p.root), message: describe(code).message };
}

/**
 * Verify a signed trust list (COSE_Sign1 by a root key) against the roots trusted now.
 * Root rotation: a new root is trusted only once a list signed by a currently trusted root names it
 * in `roots`; the caller then passes `result.trust.list.roots` as `roots` for the next update.
 * @example
 * const r = await verifyTrustList(bytes, backend, { roots: [pinnedRootPublicKey], lastSequence: 41 })
 * if (r.ok) use(r.trust)
 */
export async function verifyTrustList(
  bytes: Uint8Array,
  backend: Ed25519Backend,
  options: VerifyTrustListOptions,
): Promise<TrustListResult> {
  const p = prepare(bytes, options);
  if ('ok' in p) return p;
  return finish(bytes, p, await verifySign1(backend, p.root.publicKey, p.msg), options);
}

/** Synchronous `verifyTrustList` for backends with `sync: true`. */
export function verifyTrustListSync(bytes: Uint8Array, backend: Ed25519Backend, options: VerifyTrustListOptions): TrustListResult {
  const p = prepare(bytes, options);
  if ('ok' in p) return p;
  return finish(bytes, p, verifySign1Sync(backend, p.root.publicKey, p.msg), options);
}
