// Operator actions on a registry (used by the CLI): pin roots, import trust lists and agency keys, manage tokens.
import { decodeSign1, decodeTrustListPayload, keyId, nativeBackend, toHex, type VerifiedTrustList } from '../core/index.js';
import { decryptKeyFileSeed, readKeyFileHeader } from '../keys/key-file.js';
import { sealSeed, type MasterKey } from './master-key.js';
import type { TokenRecord } from './registry/registry.js';
import type { RegistryStore } from './registry/store.js';
import { newToken, type Scope } from './tokens.js';
import { importTrustList } from './trust.js';

/** An operator action that cannot be done; `code` is stable. */
export class AdminError extends Error {
  readonly code: 'UNKNOWN_AGENCY' | 'KEY_EXISTS' | 'BAD_KEY_FILE' | 'UNKNOWN_TOKEN' | 'NOT_IN_TRUST_LIST';
  constructor(code: AdminError['code'], message: string) {
    super(message);
    this.name = 'AdminError';
    this.code = code;
  }
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Pin an NDC root public key (32 raw bytes); trust lists must be signed by a pinned root. */
export async function pinRoot(registry: RegistryStore, publicKey: Uint8Array, name?: string): Promise<string> {
  const kid = toHex(keyId(publicKey));
  await registry.addRoot(kid, publicKey, now(), name);
  return kid;
}

/** Verify and store a published trust list (see trust.ts for the rules). */
export function importTrustListBytes(registry: RegistryStore, bytes: Uint8Array): Promise<VerifiedTrustList> {
  return importTrustList(registry, bytes, nativeBackend()!, now());
}

/**
 * Decrypt an agency key file written by `urseal agency keygen` and return its 32-byte seed, through keys/ (the one
 * reader of that format: header authenticated as AAD, seed checked against the public key). Throws keys' UserError
 * (URSEAL_E_WRONG_PASSPHRASE, URSEAL_E_KEY_FILE_MALFORMED, ...) with a bilingual message.
 */
export function seedFromKeyFile(path: string, passphrase: string): { seed: Uint8Array; agency?: string; kid: string } {
  const file = readKeyFileHeader(path);
  if (file.kind !== 'agency') throw new AdminError('BAD_KEY_FILE', `${path} is not an urseal agency key file`);
  const seed = decryptKeyFileSeed(file, passphrase, path);
  return { seed, kid: file.kid, ...(file.agency !== undefined ? { agency: file.agency } : {}) };
}

/**
 * Store an agency private seed encrypted under the master key. The service uses it only once its current trust
 * list publishes the key for that agency, active and inside its window.
 */
export async function importAgencySeed(
  registry: RegistryStore,
  master: MasterKey,
  agencyId: string,
  seed: Uint8Array,
): Promise<{ kid: string; inTrustList: boolean }> {
  const key = nativeBackend()!.importSigningKeySync(seed);
  const kid = toHex(keyId(key.publicKey));
  if ((await registry.listAgencyKeys()).some((k) => k.kid === kid))
    throw new AdminError('KEY_EXISTS', `key ${kid} is already in the registry`);
  if (!(await registry.hasAgency(agencyId))) await registry.ensureAgency(agencyId, { ar: agencyId, en: agencyId }, now());
  await registry.addAgencyKey({
    kid,
    agencyId,
    publicKey: key.publicKey,
    sealedSeed: sealSeed(master, agencyId, kid, seed),
    addedAt: now(),
  });
  const latest = await registry.latestTrustList();
  let inTrustList = false;
  if (latest) {
    const list = decodeTrustListPayload(decodeSign1(latest.bytes).payload);
    inTrustList = list.agencies.some((a) => a.id === agencyId && a.keys.some((k) => toHex(k.kid) === kid));
  }
  return { kid, inTrustList };
}

/** Create a token for an agency; returns the secret, to show once. */
export async function createToken(
  registry: RegistryStore,
  agencyId: string,
  scopes: Scope[],
  label?: string,
): Promise<{ id: string; secret: string }> {
  if (!(await registry.hasAgency(agencyId)))
    throw new AdminError('UNKNOWN_AGENCY', `agency ${agencyId} is not in the registry (import the trust list that publishes it first)`);
  const t = newToken();
  await registry.addToken({ id: t.id, agencyId, hash: t.hash, scopes, ...(label !== undefined ? { label } : {}), createdAt: now() });
  return { id: t.id, secret: t.secret };
}

/** Tokens (never secrets). */
export function listTokens(registry: RegistryStore, agencyId?: string): Promise<TokenRecord[]> {
  return registry.listTokens(agencyId);
}

/** Revoke a token by id; takes effect on the next request (the service looks tokens up on every request). */
export async function revokeToken(registry: RegistryStore, id: string): Promise<void> {
  if (!(await registry.revokeToken(id, now()))) throw new AdminError('UNKNOWN_TOKEN', `no active token ${id}`);
}
