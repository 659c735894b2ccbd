// The service's view of the published trust list: accepting a new one (roots, rollback) and choosing issuing keys.
import { keyId, toHex, verifyTrustListSync, type AgencyKey, type Ed25519Backend, type VerifiedTrustList } from '../core/index.js';
import type { Admission, RegistryStore, TrustListInput } from './registry/store.js';

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
 * Verify a published trust list for import: it must be signed by a pinned root (or a root that an accepted list
 * named: those are pinned on acceptance, which is how root rotation reaches the service), and its sequence may not
 * be lower than the current one (rollback protection). Returns what to store; nothing is written.
 */
export async function checkTrustList(
  registry: RegistryStore,
  bytes: Uint8Array,
  backend: Ed25519Backend,
  now: number,
): Promise<{ trust: VerifiedTrustList; input: TrustListInput; newRoots: Admission['newRoots'] }> {
  const roots = await registry.listRoots();
  if (roots.length === 0) throw new TrustListError('NO_ROOTS', 'no root key is pinned: pin the NDC root public key first');
  const current = await registry.latestTrustListSequence();
  const r = verifyTrustListSync(bytes, backend, {
    roots: roots.map((x) => ({ kid: keyId(x.publicKey), publicKey: x.publicKey })),
    ...(current !== undefined ? { lastSequence: current } : {}),
    now,
  });
  if (!r.ok) throw new TrustListError(r.code, `trust list refused: ${r.code}: ${r.reason}`);
  const list = r.trust.list;
  const newRoots = list.roots
    .map((root) => ({ kid: toHex(root.kid), publicKey: root.publicKey, name: root.name ?? `named by trust list ${list.sequence}` }))
    .filter((root) => !roots.some((x) => x.kid === root.kid));
  return {
    trust: r.trust,
    input: { sequence: list.sequence, bytes, issuedAt: list.issuedAt, expiresAt: list.expiresAt, agencies: list.agencies },
    newRoots,
  };
}

/**
 * Verify (see checkTrustList) and store a published trust list, pinning the roots it names in the same transaction.
 * Stale lists are accepted with a warning from the caller.
 * @example await importTrustList(registry, bytes, backend, nowSeconds)
 */
export async function importTrustList(
  registry: RegistryStore,
  bytes: Uint8Array,
  backend: Ed25519Backend,
  now: number,
  actor = 'operator',
): Promise<VerifiedTrustList> {
  const c = await checkTrustList(registry, bytes, backend, now);
  await registry.addTrustList(c.input, now, actor, c.newRoots);
  return c.trust;
}

/** Load the current trust list from the registry and verify it again under the pinned roots. */
export async function loadTrustList(registry: RegistryStore, backend: Ed25519Backend, now: number): Promise<VerifiedTrustList | undefined> {
  const cur = await registry.latestTrustList();
  if (!cur) return undefined;
  const roots = await registry.listRoots();
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
