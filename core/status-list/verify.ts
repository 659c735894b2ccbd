// Verifying an agency's status list against the trust list: signer, rollback, staleness.
import { toHex } from '../bytes.js';
import { decodeSign1, eddsaKid, verifySign1, verifySign1Sync, type Sign1 } from '../cose/sign1.js';
import type { Ed25519Backend } from '../crypto/backend.js';
import { UrsealError } from '../errors.js';
import { describe, type Message, type ResultCode } from '../results.js';
import type { AgencyKey } from '../trust-list/types.js';
import type { VerifiedTrustList } from '../trust-list/verify.js';
import { decodeStatusListPayload, MAX_STATUS_LIST_BYTES, type StatusList } from './codec.js';

/** A status list whose signature and signer checked out. */
export interface VerifiedStatusList {
  list: StatusList;
  bytes: Uint8Array;
  /** Past its exp: still used (the newest copy held), but say how old it is. */
  stale: boolean;
}

export type StatusListResult =
  | { ok: true; code: 'VALID'; status: VerifiedStatusList; message: Message }
  | { ok: false; code: ResultCode; reason: string; message: Message };

export interface VerifyStatusListOptions {
  /** Highest sequence accepted so far for this agency. */
  lastSequence?: number;
  now?: number;
}

function fail(code: ResultCode, reason: string): StatusListResult {
  return { ok: false, code, reason, message: describe(code).message };
}

function prepare(bytes: Uint8Array, trust: VerifiedTrustList): { msg: Sign1; key: AgencyKey; agencyId: string } | StatusListResult {
  if (bytes.length > MAX_STATUS_LIST_BYTES) return fail('MALFORMED', 'status list too large');
  try {
    const msg = decodeSign1(bytes, { limits: { maxDepth: 4, maxItems: 16, maxStringBytes: MAX_STATUS_LIST_BYTES } });
    const kid = eddsaKid(msg);
    const found = trust.findKey(kid);
    if (!found) return fail('STATUS_LIST_INVALID', `signed by key ${toHex(kid)}, which is not in the trust list`);
    if (found.key.status === 'revoked') return fail('STATUS_LIST_INVALID', `signed by revoked key ${toHex(kid)}`);
    return { msg, key: found.key, agencyId: found.agency.id };
  } catch (e) {
    if (e instanceof UrsealError) return fail('MALFORMED', e.message);
    throw e;
  }
}

function finish(
  bytes: Uint8Array,
  p: { msg: Sign1; key: AgencyKey; agencyId: string },
  ok: boolean,
  options: VerifyStatusListOptions,
): StatusListResult {
  if (!ok) return fail('STATUS_LIST_INVALID', 'the agency signature does not verify');
  let list: StatusList;
  try {
    list = decodeStatusListPayload(p.msg.payload);
  } catch (e) {
    if (e instanceof UrsealError) return fail('MALFORMED', e.message);
    throw e;
  }
  if (list.issuer !== p.agencyId) return fail('STATUS_LIST_INVALID', `list for ${list.issuer} signed by a key of ${p.agencyId}`);
  if (list.issuedAt < p.key.notBefore || list.issuedAt > p.key.notAfter)
    return fail('STATUS_LIST_INVALID', 'signed outside the key window');
  if (options.lastSequence !== undefined && list.sequence < options.lastSequence) {
    return fail('STATUS_LIST_ROLLBACK', `sequence ${list.sequence} is lower than ${options.lastSequence}, already accepted`);
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  return { ok: true, code: 'VALID', status: { list, bytes, stale: now > list.expiresAt }, message: describe('VALID').message };
}

/**
 * Verify a status list signed by an agency key published (and not revoked) in the trust list.
 * @example const r = await verifyStatusList(bytes, trust, backend); if (r.ok) statusLists.set(r.status.list.issuer, r.status)
 */
export async function verifyStatusList(
  bytes: Uint8Array,
  trust: VerifiedTrustList,
  backend: Ed25519Backend,
  options: VerifyStatusListOptions = {},
): Promise<StatusListResult> {
  const p = prepare(bytes, trust);
  if ('ok' in p) return p;
  return finish(bytes, p, await verifySign1(backend, p.key.publicKey, p.msg), options);
}

/** Synchronous `verifyStatusList`. */
export function verifyStatusListSync(
  bytes: Uint8Array,
  trust: VerifiedTrustList,
  backend: Ed25519Backend,
  options: VerifyStatusListOptions = {},
): StatusListResult {
  const p = prepare(bytes, trust);
  if ('ok' in p) return p;
  return finish(bytes, p, verifySign1Sync(backend, p.key.publicKey, p.msg), options);
}
