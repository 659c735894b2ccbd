// The registry as the service sees it: one asynchronous interface, two stores (SQLite embedded, PostgreSQL shared).
import type { StatusList } from '../../core/index.js';
import type { AgencyKeyRecord, AuditEntry, DocumentRecord, IssueInput, IssueOutcome, StatusListRecord, TokenRecord } from './registry.js';

/** An agency as the registry knows it. */
export interface AgencyRecord {
  id: string;
  name: { ar: string; en: string };
}

/** A trust list to store (already verified by the caller). */
export interface TrustListInput {
  sequence: number;
  bytes: Uint8Array;
  issuedAt: number;
  expiresAt: number;
  agencies: AgencyRecord[];
}

/** How a status list is (re)signed: validity in seconds and the agency key's signature over the encoded list. */
export interface StatusSigner {
  validity: number;
  sign: (l: StatusList) => Uint8Array;
}

/** What `admitAgency` writes, all in one transaction (demo set-up: a new agency, its key, the list and a token). */
export interface Admission {
  agency: AgencyRecord;
  key: AgencyKeyRecord;
  trustList: TrustListInput;
  /** Roots the new trust list names that are not pinned yet. */
  newRoots: { kid: string; publicKey: Uint8Array; name?: string }[];
  token: Omit<TokenRecord, 'revokedAt'>;
  actor: string;
  now: number;
}

/**
 * The issuer registry. Every write that belongs together runs in one transaction of the store, so a crash leaves
 * all or none of it. Two stores implement it: `SqliteStore` (one process owns a data folder) and `PostgresStore`
 * (several issuer processes share one database; serials, status indexes and status-list sequences are allocated
 * under row locks, so they stay unique and gap-free across processes).
 * @example const store = await openStore({ dataDir: 'data' }); const t = await store.findTokenByHash(h); await store.close()
 */
export interface RegistryStore {
  /** 'sqlite' or 'postgres'. */
  readonly kind: 'sqlite' | 'postgres';
  /** 4 random bytes (hex) fixed at creation: prefix of every serial, so two registries never reuse one. */
  readonly registryId: string;
  /**
   * True when other processes may write the same registry at the same time (PostgreSQL): the service then reads
   * status lists and tokens fresh instead of trusting what it cached.
   */
  readonly shared: boolean;
  /** Where the registry lives, for messages (a file path, or the database URL without its password). */
  readonly where: string;

  close(): Promise<void>;

  getMeta(key: string): Promise<Buffer | undefined>;
  setMeta(key: string, value: Uint8Array | string): Promise<void>;
  /** Set `key` only if it has no value yet; returns the value now stored (the given one or the earlier one). */
  setMetaOnce(key: string, value: Uint8Array | string): Promise<Buffer>;

  audit(e: Omit<AuditEntry, 'id'>): Promise<void>;
  /** The newest `limit` audit entries, newest first. */
  listAudit(limit?: number): Promise<AuditEntry[]>;

  addRoot(kid: string, publicKey: Uint8Array, now: number, name?: string): Promise<void>;
  listRoots(): Promise<{ kid: string; publicKey: Uint8Array; name?: string }[]>;

  /** Store an accepted trust list, pin the new roots it names and make sure its agencies exist (names refreshed). */
  addTrustList(t: TrustListInput, now: number, actor?: string, newRoots?: Admission['newRoots']): Promise<void>;
  /** The current (highest-sequence) trust list. */
  latestTrustList(): Promise<{ sequence: number; bytes: Uint8Array } | undefined>;
  latestTrustListSequence(): Promise<number | undefined>;

  listAgencies(): Promise<AgencyRecord[]>;
  hasAgency(id: string): Promise<boolean>;
  ensureAgency(id: string, name: { ar: string; en: string }, now: number): Promise<void>;
  /** A new agency, its key, the trust list that admits it and a token, in one transaction. */
  admitAgency(a: Admission): Promise<void>;

  addAgencyKey(k: AgencyKeyRecord, actor?: string): Promise<void>;
  listAgencyKeys(agencyId?: string): Promise<AgencyKeyRecord[]>;

  addToken(t: Omit<TokenRecord, 'revokedAt'>, actor?: string): Promise<void>;
  findTokenByHash(hash: Uint8Array): Promise<TokenRecord | undefined>;
  listTokens(agencyId?: string): Promise<TokenRecord[]>;
  /** Revoke a token; false when there is no such (unrevoked) token. */
  revokeToken(id: string, now: number, actor?: string): Promise<boolean>;

  /**
   * Record an issuance: in ONE transaction replay or refuse by Idempotency-Key, allocate the serial and the
   * status index, insert the document, append the audit entry, and grow the status list if the index is past its
   * end. Issuances arriving together share one commit (group commit). Throws StatusListFullError when the agency's
   * indexes are used up (nothing recorded).
   */
  issue(input: IssueInput): Promise<IssueOutcome>;
  /** Mark a document whose stamping failed after its serial was allocated (the Idempotency-Key is freed). */
  markFailed(serial: string, now: number, reason: string): Promise<void>;
  getDocument(serial: string): Promise<DocumentRecord | undefined>;
  countDocuments(agencyId?: string): Promise<number>;

  getStatusList(agencyId: string): Promise<StatusListRecord | undefined>;
  /**
   * Sign and store the next status list of an agency (same bits, next sequence, fresh times). With `ifIssuedBefore`,
   * only when the stored list is older than that (or missing): another process may have renewed it meanwhile, and
   * the check runs under the row lock, so one list is signed per sequence. Returns the list now current.
   */
  renewStatusList(agencyId: string, now: number, signer: StatusSigner, ifIssuedBefore?: number): Promise<StatusListRecord>;
  /**
   * Revoke a document: in ONE transaction mark it, set its status bit, sign the next status list and store it, and
   * append the audit entry. Revoking twice is harmless (`already: true`, nothing re-signed). undefined: no such serial.
   */
  revokeDocument(
    serial: string,
    r: { actor: string; reason?: string; now: number } & StatusSigner,
  ): Promise<{ document: DocumentRecord; statusList: StatusListRecord; already: boolean } | undefined>;

  /**
   * Run one SQL statement with `?` placeholders and return its rows: for tests and maintenance only (the SQL must
   * be valid for both SQLite and PostgreSQL). Never given user input.
   */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** PostgreSQL SQLSTATEs of a server that is gone, shutting down or full: the request may succeed on a retry. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]$|53300$)/;
/** Node socket errors and pg pool messages of a database that cannot be reached. */
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether an error means the registry cannot be reached right now (database down, restarting, connection lost or
 * full; SQLite busy past its timeout), rather than a fault of the request or the code: the API answers 503
 * REGISTRY_UNAVAILABLE so clients and load balancers retry, instead of 500.
 * @example isRegistryUnavailable(Object.assign(new Error('x'), { code: '57P01' })) // true
 */
export function isRegistryUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE.has(code) || code === 'SQLITE_BUSY')) return true;
  return /^(Connection terminated|timeout exceeded when trying to connect)/.test(e.message);
}
