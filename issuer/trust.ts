// The service's view of the published trust list: accepting a new one (roots, rollback) and choosing issuing keys.
import { keyId, toHex, verifyTrustListSync, type AgencyKey, type Ed25519Backend, type VerifiedTrustList } from '../core/index.js';
import type { Registry } from './registry/registry.js';

/** A trust list that cannot be accepted; `code` is the core result code (e.g. TRUST_LIST_UNTRUSTED, TRUST_LIST_ROLLBACK). */
export class TrustListError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TrustListError';
    this.code = code;
  }
}

/**
 * Verify and store a published trust list. It must be signed by a pinned root (or a root that an accepted list
 * named: those are pinned on acceptance, which is how root rotation reaches the service), and its sequence may not
 * be lower than the current one (rollback protection). Stale lists are accepted with a warning from the caller.
 * @example importTrustList(registry, bytes, backend, nowSeconds)
 */
export function importTrustList(
  registry: Registry,
  bytes: Uint8Array,
  backend: Ed25519Backend,
  now: number,
  actor = 'operator',
): VerifiedTrustList {
  const roots = registry.listRoots();
  if (roots.length === 0) throw new TrustListError('NO_ROOTS', 'no root key is pinned: pin the NDC root public key first');
  const current = registry.latestTrustListSequence();
  const r = verifyTrustListSync(bytes, backend, {
    roots: roots.map((x) => ({ kid: keyId(x.publicKey), publicKey: x.publicKey })),
    ...(current !== undefined ? { lastSequence: current } : {}),
    now,
  });
  if (!r.ok) throw new TrustListError(r.code, `trust list refused: ${r.code}: ${r.reason}`);
  const list = r.trust.list;
  registry.addTrustList(
    { sequence: list.sequence, bytes, issuedAt: list.issuedAt, expiresAt: list.expiresAt, agencies: list.agencies },
    now,
    actor,
  );
  for (const root of list.roots) {
    const kid = toHex(root.kid);
    if (!roots.some((x) => x.kid === kid)) registry.addRoot(kid, root.publicKey, now, root.name ?? `named by trust list ${list.sequence}`);
  }
  return r.trust;
}

/** Load the current trust list from the registry and verify it again under the pinned roots. */
export function loadTrustList(registry: Registry, backend: Ed25519Backend, now: number): VerifiedTrustList | undefined {
  const cur = registry.latestTrustList();
  if (!cur) return undefined;
  const roots = registry.listRoots();
  const r = verifyTrustListSync(cur.bytes, backend, {
    roots: roots.map((x) => ({ kid: keyId(x.publicKey), publicKey: x.publicKey })),
    now,
  });
  if (!r.ok)
    throw new TrustListError(r.code, `stored trust list ${cur.sequence} does not verify under the pinned roots: ${r.code}: ${r.reason}`);
  return r.trust;
}

/**
 * The key an agency may issue with now: published for that agency in the trust list, `active`, its window open,
 * and held (encrypted) in the registry. Among several, the one with the latest notBefore (the newest rotation).
 */
export function issuingKey(trust: VerifiedTrustList, heldKids: readonly string[], agencyId: string, now: number): AgencyKey | undefined {
  const agency = trust.findAgency(agencyId);
  if (!agency) return undefined;
  let best: AgencyKey | undefined;
  for (const k of agency.keys) {
    if (k.status !== 'active' || now < k.notBefore || now > k.notAfter) continue;
    if (!heldKids.includes(toHex(k.kid))) continue;
    if (!best || k.notBefore > best.notBefore) best = k;
  }
  return best;
}
