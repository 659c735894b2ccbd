// The shared store: the issuer registry on PostgreSQL (pg), for several issuer processes on one database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CustomTypesConfig, PoolClient } from 'pg';
import { MAX_STATUS_BITS } from '../../core/index.js';
import { ConfigError } from '../config.js';
import { MIGRATION_LOCK, MIGRATIONS_TABLE, PG_MIGRATIONS, STATUS_LOCK } from './pg-schema.js';
import {
  StatusListFullError,
  type AgencyKeyRecord,
  type AuditEntry,
  type DocumentRecord,
  type IssueInput,
  type IssueOutcome,
  type StatusListRecord,
  type TokenRecord,
} from './registry.js';
import {
  buf,
  grownBits,
  issuedDocument,
  nextStatusList,
  renewedStatusList,
  revokedStatusList,
  toAudit,
  toDoc,
  toKey,
  toStatus,
  toToken,
  u8,
  type AuditRow,
  type DocRow,
  type KeyRow,
  type StatusRow,
  type TokenRow,
} from './rows.js';
import type { Admission, AgencyRecord, RegistryStore, StatusSigner, TrustListInput } from './store.js';

const MAX_COUNTER = 0xffffffff;
/** Default pool size: issuance uses one client per batch; reads and the other writes share the rest. */
export const DEFAULT_POOL_SIZE = 10;
/** A database that does not answer within this many milliseconds fails `open` (and later queries) instead of hanging. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A session of ours idle inside a transaction this long is ended by the server: a node frozen mid-transaction (paused
 * VM, debugger) would otherwise hold the counters row and stop every other node from issuing. Our transactions are
 * never idle for more than a signature.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

/** Stable codes of {@link RegistryConnectError}. */
export type RegistryConnectCode =
  'REGISTRY_UNREACHABLE' | 'REGISTRY_AUTH' | 'REGISTRY_NO_DATABASE' | 'REGISTRY_SCHEMA_NEWER' | 'REGISTRY_OPEN_FAILED';

/** The registry database cannot be opened: reported as one line at start-up (a ConfigError), never with the password. */
export class RegistryConnectError extends ConfigError {
  readonly code: RegistryConnectCode;
  readonly ar: string;
  constructor(code: RegistryConnectCode, en: string, ar: string, cause?: unknown) {
    super(en);
    this.name = 'RegistryConnectError';
    this.code = code;
    this.ar = ar;
    if (cause !== undefined) this.cause = cause;
  }
}

/** The URL without its password (`***` instead), for messages and `where`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    // key=value connection strings: hide any password=... (quoted or not).
    return url.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***');
  }
}

/**
 * int8 (BIGINT, COUNT(*)) as a JS number on this store's clients only: every such value here (times, counters,
 * indexes, sequences) is far below 2^53. The global pg.types stay untouched for other users of pg in the process.
 */
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') {
      return (v: string) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n)) throw new Error(`registry: integer ${v} is beyond 2^53`);
        return n;
      };
    }
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};

/** Anything that runs a query: the pool or one checked-out client inside a transaction. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** `?` placeholders to `$1…` (outside quoted strings and identifiers). */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}

function pgCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;
}

/** Why `open` failed, in words, with a stable code. */
function connectError(e: unknown, where: string): RegistryConnectError {
  if (e instanceof RegistryConnectError) return e;
  const code = pgCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT' ||
    /timeout/i.test(detail)
  )
    return new RegistryConnectError(
      'REGISTRY_UNREACHABLE',
      `cannot reach the PostgreSQL registry at ${where}: ${code === 'ECONNREFUSED' ? 'connection refused' : detail}`,
      `تعذر الوصول إلى سجل PostgreSQL في ${where}`,
      e,
    );
  if (code === '28P01' || code === '28000')
    return new RegistryConnectError(
      'REGISTRY_AUTH',
      `the PostgreSQL registry at ${where} refused the login (wrong user or password)`,
      `رفض سجل PostgreSQL في ${where} تسجيل الدخول (اسم المستخدم أو كلمة المرور خاطئة)`,
      e,
    );
  if (code === '3D000')
    return new RegistryConnectError(
      'REGISTRY_NO_DATABASE',
      `the database of the PostgreSQL registry at ${where} does not exist: create it first`,
      `قاعدة بيانات سجل PostgreSQL في ${where} غير موجودة: أنشئها أولًا`,
      e,
    );
  return new RegistryConnectError(
    'REGISTRY_OPEN_FAILED',
    `cannot open the PostgreSQL registry at ${where}: ${detail}`,
    `تعذر فتح سجل PostgreSQL في ${where}`,
    e,
  );
}

/** Run `fn` in one transaction on one pooled client: COMMIT when it returns, ROLLBACK when it throws. */
async function inTransaction<T>(pool: pg.Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN');
    try {
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      try {
        await c.query('ROLLBACK');
      } catch (re) {
        broken = re as Error;
      }
      throw e;
    }
  } finally {
    c.release(broken);
  }
}

type Pending = { input: IssueInput; resolve: (o: IssueOutcome) => void; reject: (e: unknown) => void };

/**
 * Registry on PostgreSQL, shared by several issuer processes. Uniqueness and gap-freedom across processes come from
 * row locks and advisory locks inside transactions (READ COMMITTED):
 * - issuance takes the `counters` row lock first (UPDATE … RETURNING), then the agency row (next_status), so serials
 *   and status indexes are handed out one transaction at a time and a rollback leaves no gap;
 * - status lists (renewal, revocation, growth during issuance) are written under
 *   pg_advisory_xact_lock(STATUS_LOCK, hashtext(agency)), and re-read inside it, so one list is signed per sequence;
 * - lock order is always counters → agency rows → status lock (trust-list imports take the counters row first too), so
 *   issuance, imports and revocations cannot deadlock one another.
 * Durability is PostgreSQL's default (synchronous_commit on): a promise resolves only after COMMIT returned.
 * @example const store = await PostgresStore.open('postgres://urseal@db/urseal'); await store.listAgencies(); await store.close()
 */
export class PostgresStore implements RegistryStore {
  readonly kind = 'postgres' as const;
  readonly shared = true;
  readonly registryId: string;
  readonly where: string;
  private readonly pool: pg.Pool;
  private pending: Pending[] = [];
  private scheduled = false;
  private running = false;
  /**
   * Committed size of each agency's status list as last seen. Lists only grow, so an index below it needs no growth
   * check: the issuance then skips the status lock and the read of the list (two database round trips).
   * Updated only from committed state (reads outside a transaction, batches after COMMIT), never from a write that
   * could still roll back.
   */
  private readonly knownSizes = new Map<string, number>();

  private constructor(pool: pg.Pool, registryId: string, where: string) {
    this.pool = pool;
    this.registryId = registryId;
    this.where = where;
  }

  /** Connect, migrate (once, under an advisory lock) and read the registry id. Fails with a RegistryConnectError. */
  static async open(url: string, options: { poolSize?: number; applicationName?: string } = {}): Promise<PostgresStore> {
    const where = redactUrl(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      application_name: options.applicationName ?? 'urseal-issuer',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
      keepAlive: true,
      types: TYPES,
    });
    // An idle client that loses its connection (server restart) is dropped by the pool; without a listener the
    // 'error' event would end the process. The next query opens a fresh connection.
    pool.on('error', () => undefined);
    let registryId: string;
    try {
      registryId = await inTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await c.query(MIGRATIONS_TABLE);
        const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number));
        const newest = Math.max(0, ...done);
        // A node of an older urseal must not write a registry whose schema a newer one changed (rolling upgrades).
        if (newest > PG_MIGRATIONS.length)
          throw new RegistryConnectError(
            'REGISTRY_SCHEMA_NEWER',
            `the PostgreSQL registry at ${where} has schema version ${newest}, newer than this urseal knows (${PG_MIGRATIONS.length}): upgrade urseal on this node`,
            `سجل PostgreSQL في ${where} بإصدار مخطط ${newest} أحدث مما يعرفه هذا الإصدار من urseal (${PG_MIGRATIONS.length}): حدّث urseal على هذه العقدة`,
          );
        for (let v = 1; v <= PG_MIGRATIONS.length; v++) {
          if (done.has(v)) continue;
          await c.query(PG_MIGRATIONS[v - 1]!);
          await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v, Math.floor(Date.now() / 1000)]);
        }
        await c.query("INSERT INTO meta (key, value) VALUES ('registry_id', $1) ON CONFLICT (key) DO NOTHING", [
          Buffer.from(randomBytes(4).toString('hex')),
        ]);
        const r = await c.query("SELECT value FROM meta WHERE key = 'registry_id'");
        return (r.rows[0]!.value as Buffer).toString('utf8');
      });
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw connectError(e, where);
    }
    return new PostgresStore(pool, registryId, where);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private noteSize(agencyId: string, size: number): void {
    if (size > (this.knownSizes.get(agencyId) ?? 0)) this.knownSizes.set(agencyId, size);
  }

  private async rows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
    return (await q.query(sql, params)).rows as T[];
  }

  private tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  // ------------------------------------------------------------------ meta

  async getMeta(key: string): Promise<Buffer | undefined> {
    const [r] = await this.rows<{ value: Buffer }>(this.pool, 'SELECT value FROM meta WHERE key = $1', [key]);
    return r?.value;
  }

  async setMeta(key: string, value: Uint8Array | string): Promise<void> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      Buffer.from(value),
    ]);
  }

  async setMetaOnce(key: string, value: Uint8Array | string): Promise<Buffer> {
    // Read committed: after ON CONFLICT DO NOTHING the next statement sees whichever row won.
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, Buffer.from(value)]);
    return (await this.getMeta(key))!;
  }

  // ------------------------------------------------------------------ audit

  private async auditOn(q: Queryable, e: Omit<AuditEntry, 'id'>): Promise<void> {
    await q.query('INSERT INTO audit_log (at, agency_id, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
      e.at,
      e.agencyId ?? null,
      e.actor,
      e.action,
      e.subject ?? null,
      e.detail ?? null,
    ]);
  }

  async audit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.auditOn(this.pool, e);
  }

  async listAudit(limit = 100): Promise<AuditEntry[]> {
    const rows = await this.rows<AuditRow>(this.pool, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map(toAudit);
  }

  // ------------------------------------------------------------------ roots and trust lists

  private async addRootOn(q: Queryable, kid: string, publicKey: Uint8Array, now: number, name?: string): Promise<void> {
    await q.query('INSERT INTO roots (kid, public_key, name, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING', [
      kid,
      buf(publicKey),
      name ?? null,
      now,
    ]);
    await this.auditOn(q, { at: now, actor: 'operator', action: 'root.pin', subject: kid, ...(name ? { detail: name } : {}) });
  }

  async addRoot(kid: string, publicKey: Uint8Array, now: number, name?: string): Promise<void> {
    await this.tx((c) => this.addRootOn(c, kid, publicKey, now, name));
  }

  async listRoots(): Promise<{ kid: string; publicKey: Uint8Array; name?: string }[]> {
    const rows = await this.rows<{ kid: string; public_key: Buffer; name: string | null }>(
      this.pool,
      'SELECT kid, public_key, name FROM roots ORDER BY added_at, kid',
    );
    return rows.map((r) => ({ kid: r.kid, publicKey: u8(r.public_key), ...(r.name !== null ? { name: r.name } : {}) }));
  }

  private async addTrustListOn(q: Queryable, t: TrustListInput, now: number, actor: string): Promise<void> {
    // Lock order as in issuance (counters, then agency rows): an import that refreshes several agencies' names would
    // otherwise deadlock with a batch issuing for two of them. Imports are rare; issuance waits for one briefly.
    await q.query("SELECT value FROM counters WHERE name = 'serial' FOR UPDATE");
    await q.query(
      `INSERT INTO trust_lists (sequence, bytes, issued_at, expires_at, imported_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sequence) DO UPDATE SET bytes = excluded.bytes, issued_at = excluded.issued_at,
           expires_at = excluded.expires_at, imported_at = excluded.imported_at`,
      [t.sequence, buf(t.bytes), t.issuedAt, t.expiresAt, now],
    );
    for (const a of t.agencies)
      await q.query(
        `INSERT INTO agencies (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en`,
        [a.id, a.name.ar, a.name.en, now],
      );
    await this.auditOn(q, { at: now, actor, action: 'trust-list.import', subject: String(t.sequence) });
  }

  async addTrustList(t: TrustListInput, now: number, actor = 'operator', newRoots: Admission['newRoots'] = []): Promise<void> {
    await this.tx(async (c) => {
      await this.addTrustListOn(c, t, now, actor);
      for (const r of newRoots) await this.addRootOn(c, r.kid, r.publicKey, now, r.name);
    });
  }

  async latestTrustList(): Promise<{ sequence: number; bytes: Uint8Array } | undefined> {
    const [r] = await this.rows<{ sequence: number; bytes: Buffer }>(
      this.pool,
      'SELECT sequence, bytes FROM trust_lists ORDER BY sequence DESC LIMIT 1',
    );
    return r && { sequence: r.sequence, bytes: u8(r.bytes) };
  }

  async latestTrustListSequence(): Promise<number | undefined> {
    const [r] = await this.rows<{ s: number | null }>(this.pool, 'SELECT MAX(sequence) AS s FROM trust_lists');
    return r?.s ?? undefined;
  }

  // ------------------------------------------------------------------ agencies and keys

  async listAgencies(): Promise<AgencyRecord[]> {
    const rows = await this.rows<{ id: string; name_ar: string; name_en: string }>(
      this.pool,
      'SELECT id, name_ar, name_en FROM agencies ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: { ar: r.name_ar, en: r.name_en } }));
  }

  async hasAgency(id: string): Promise<boolean> {
    return (await this.rows(this.pool, 'SELECT 1 FROM agencies WHERE id = $1', [id])).length > 0;
  }

  private async ensureAgencyOn(q: Queryable, id: string, name: { ar: string; en: string }, now: number): Promise<void> {
    await q.query('INSERT INTO agencies (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      id,
      name.ar,
      name.en,
      now,
    ]);
  }

  async ensureAgency(id: string, name: { ar: string; en: string }, now: number): Promise<void> {
    await this.ensureAgencyOn(this.pool, id, name, now);
  }

  async admitAgency(a: Admission): Promise<void> {
    await this.tx(async (c) => {
      await this.ensureAgencyOn(c, a.agency.id, a.agency.name, a.now);
      await this.addAgencyKeyOn(c, a.key, a.actor);
      await this.addTrustListOn(c, a.trustList, a.now, a.actor);
      for (const root of a.newRoots) await this.addRootOn(c, root.kid, root.publicKey, a.now, root.name);
      await this.addTokenOn(c, a.token, a.actor);
    });
  }

  private async addAgencyKeyOn(q: Queryable, k: AgencyKeyRecord, actor: string): Promise<void> {
    await q.query('INSERT INTO agency_keys (kid, agency_id, public_key, sealed_seed, added_at) VALUES ($1, $2, $3, $4, $5)', [
      k.kid,
      k.agencyId,
      buf(k.publicKey),
      buf(k.sealedSeed),
      k.addedAt,
    ]);
    await this.auditOn(q, { at: k.addedAt, agencyId: k.agencyId, actor, action: 'key.import', subject: k.kid });
  }

  async addAgencyKey(k: AgencyKeyRecord, actor = 'operator'): Promise<void> {
    await this.tx((c) => this.addAgencyKeyOn(c, k, actor));
  }

  async listAgencyKeys(agencyId?: string): Promise<AgencyKeyRecord[]> {
    const rows = await this.rows<KeyRow>(
      this.pool,
      agencyId === undefined
        ? 'SELECT * FROM agency_keys ORDER BY agency_id, added_at'
        : 'SELECT * FROM agency_keys WHERE agency_id = $1 ORDER BY added_at',
      agencyId === undefined ? [] : [agencyId],
    );
    return rows.map(toKey);
  }

  // ------------------------------------------------------------------ tokens

  private async addTokenOn(q: Queryable, t: Omit<TokenRecord, 'revokedAt'>, actor: string): Promise<void> {
    await q.query('INSERT INTO tokens (id, agency_id, hash, scopes, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      t.id,
      t.agencyId,
      buf(t.hash),
      t.scopes.join(','),
      t.label ?? null,
      t.createdAt,
    ]);
    await this.auditOn(q, {
      at: t.createdAt,
      agencyId: t.agencyId,
      actor,
      action: 'token.create',
      subject: t.id,
      detail: t.scopes.join(','),
    });
  }

  async addToken(t: Omit<TokenRecord, 'revokedAt'>, actor = 'operator'): Promise<void> {
    await this.tx((c) => this.addTokenOn(c, t, actor));
  }

  async findTokenByHash(hash: Uint8Array): Promise<TokenRecord | undefined> {
    const [r] = await this.rows<TokenRow>(this.pool, 'SELECT * FROM tokens WHERE hash = $1', [buf(hash)]);
    return r && toToken(r);
  }

  async listTokens(agencyId?: string): Promise<TokenRecord[]> {
    const rows = await this.rows<TokenRow>(
      this.pool,
      agencyId === undefined
        ? 'SELECT * FROM tokens ORDER BY created_at, id'
        : 'SELECT * FROM tokens WHERE agency_id = $1 ORDER BY created_at, id',
      agencyId === undefined ? [] : [agencyId],
    );
    return rows.map(toToken);
  }

  async revokeToken(id: string, now: number, actor = 'operator'): Promise<boolean> {
    return this.tx(async (c) => {
      const [r] = await this.rows<{ agency_id: string }>(
        c,
        'UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING agency_id',
        [now, id],
      );
      if (!r) return false;
      await this.auditOn(c, { at: now, agencyId: r.agency_id, actor, action: 'token.revoke', subject: id });
      return true;
    });
  }

  // ------------------------------------------------------------------ documents

  /**
   * Group commit: issuances that arrive in the same event-loop turn are recorded in ONE transaction on one pooled
   * client, each in its own SAVEPOINT (one failing item is rolled back alone). One batch runs at a time per store;
   * what arrives meanwhile forms the next batch.
   */
  issue(input: IssueInput): Promise<IssueOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.running = true;
    try {
      let results: ({ ok: true; value: IssueOutcome } | { ok: false; error: unknown })[];
      // Status-list sizes this batch saw, applied to knownSizes once it has committed.
      const sizes = new Map<string, number>();
      try {
        results = await this.tx(async (c) => {
          const out: typeof results = [];
          for (const b of batch) {
            await c.query('SAVEPOINT issue_item');
            try {
              const seen: { size?: number } = {};
              const value = await this.issueOn(c, b.input, seen);
              await c.query('RELEASE SAVEPOINT issue_item');
              if (seen.size !== undefined) sizes.set(b.input.agencyId, Math.max(seen.size, sizes.get(b.input.agencyId) ?? 0));
              out.push({ ok: true, value });
            } catch (error) {
              // If this fails too the connection is gone: the whole batch rolls back and every caller gets the error.
              await c.query('ROLLBACK TO SAVEPOINT issue_item');
              await c.query('RELEASE SAVEPOINT issue_item');
              const replay = await this.afterIdempotencyRace(c, b.input, error);
              out.push(replay ? { ok: true, value: replay } : { ok: false, error });
            }
          }
          return out;
        });
      } catch (e) {
        for (const b of batch) b.reject(e);
        return;
      }
      for (const [agencyId, size] of sizes) this.noteSize(agencyId, size);
      batch.forEach((b, i) => {
        const r = results[i]!;
        if (r.ok) b.resolve(r.value);
        else b.reject(r.error);
      });
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /**
   * Another process committed a document under the same Idempotency-Key between our look-up and our INSERT: the
   * UNIQUE (agency_id, idempotency_key) refused ours (and the savepoint undid its counters). Re-read the winner and
   * answer replay or conflict exactly as if it had been there first.
   */
  private async afterIdempotencyRace(c: PoolClient, i: IssueInput, error: unknown): Promise<IssueOutcome | undefined> {
    if (i.idempotencyKey === undefined || pgCode(error) !== '23505') return undefined;
    if ((error as { constraint?: string }).constraint !== 'documents_idempotency_unique') return undefined;
    return this.priorOutcome(c, i);
  }

  private async priorOutcome(q: Queryable, i: IssueInput): Promise<IssueOutcome | undefined> {
    const [prior] = await this.rows<DocRow>(q, 'SELECT * FROM documents WHERE agency_id = $1 AND idempotency_key = $2', [
      i.agencyId,
      i.idempotencyKey,
    ]);
    if (!prior) return undefined;
    const document = toDoc(prior);
    return Buffer.compare(prior.request_hash, Buffer.from(i.requestHash)) === 0
      ? { kind: 'replay', document }
      : { kind: 'conflict', document };
  }

  private async issueOn(c: PoolClient, i: IssueInput, seen: { size?: number }): Promise<IssueOutcome> {
    if (i.idempotencyKey !== undefined) {
      const prior = await this.priorOutcome(c, i);
      if (prior) return prior;
    }
    // Counters first, then the agency row: the same order in every transaction, so two issuing processes queue on
    // the counters row instead of deadlocking. The row locks last until COMMIT (a rollback leaves no gap).
    const [sn] = await this.rows<{ serial: number }>(
      c,
      "UPDATE counters SET value = value + 1 WHERE name = 'serial' RETURNING value - 1 AS serial",
    );
    if (sn!.serial > MAX_COUNTER) throw new Error('this registry has used every serial');
    const [st] = await this.rows<{ status: number }>(
      c,
      'UPDATE agencies SET next_status = next_status + 1 WHERE id = $1 RETURNING next_status - 1 AS status',
      [i.agencyId],
    );
    if (!st) throw new Error(`agency ${i.agencyId} is not in the registry`);
    // An index no status list can hold could never be revoked: refuse (the savepoint rolls both counters back).
    if (st.status >= MAX_STATUS_BITS) throw new StatusListFullError(i.agencyId);
    const serial = this.registryId + sn!.serial.toString(16).padStart(8, '0');
    // The document and its audit entry in one statement (one round trip).
    await c.query(
      `WITH d AS (
         INSERT INTO documents (serial, agency_id, kid, kind, type, number, fields, hash, length, status_index, issued_at, expires_at,
             token_id, idempotency_key, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
           RETURNING serial)
       INSERT INTO audit_log (at, agency_id, actor, action, subject, detail) SELECT $11, $2, $13, $16, d.serial, $17 FROM d`,
      [
        serial,
        i.agencyId,
        i.kid,
        i.kind,
        i.type,
        i.number,
        JSON.stringify(i.fields),
        i.hash ? buf(i.hash) : null,
        i.length ?? null,
        st.status,
        i.now,
        i.expiresAt ?? null,
        i.tokenId,
        i.idempotencyKey ?? null,
        buf(i.requestHash),
        `document.issue.${i.kind}`,
        `status ${st.status}`,
      ],
    );
    if (i.growStatusList && st.status >= (this.knownSizes.get(i.agencyId) ?? 0)) {
      await this.lockStatus(c, i.agencyId);
      const cur = await this.statusOn(c, i.agencyId);
      if (cur) seen.size = cur.size;
      if (cur && st.status >= cur.size) {
        const { size, bits } = grownBits(cur, st.status);
        seen.size = size;
        await this.saveStatus(c, nextStatusList(i.agencyId, cur, size, bits, i.now, i.growStatusList));
      }
    }
    const doc = issuedDocument(i, serial, st.status);
    return { kind: 'new', document: doc };
  }

  async markFailed(serial: string, now: number, reason: string): Promise<void> {
    await this.tx(async (c) => {
      const [r] = await this.rows<{ agency_id: string }>(
        c,
        "UPDATE documents SET state = 'failed', idempotency_key = NULL WHERE serial = $1 RETURNING agency_id",
        [serial],
      );
      if (r)
        await this.auditOn(c, {
          at: now,
          agencyId: r.agency_id,
          actor: 'service',
          action: 'document.failed',
          subject: serial,
          detail: reason.slice(0, 500),
        });
    });
  }

  async getDocument(serial: string): Promise<DocumentRecord | undefined> {
    const [r] = await this.rows<DocRow>(this.pool, 'SELECT * FROM documents WHERE serial = $1', [serial]);
    return r && toDoc(r);
  }

  async countDocuments(agencyId?: string): Promise<number> {
    const [r] = await this.rows<{ n: number }>(
      this.pool,
      agencyId === undefined ? 'SELECT COUNT(*) AS n FROM documents' : 'SELECT COUNT(*) AS n FROM documents WHERE agency_id = $1',
      agencyId === undefined ? [] : [agencyId],
    );
    return r!.n;
  }

  // ------------------------------------------------------------------ status lists

  /**
   * Serialise status-list writers of one agency across processes until the transaction ends. An advisory lock, not
   * a row lock: it works before the agency's first list exists. Whatever is read after it is current (read committed).
   */
  private async lockStatus(c: PoolClient, agencyId: string): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STATUS_LOCK, agencyId]);
  }

  private async statusOn(q: Queryable, agencyId: string): Promise<StatusListRecord | undefined> {
    const [r] = await this.rows<StatusRow>(q, 'SELECT * FROM status_lists WHERE agency_id = $1', [agencyId]);
    return r && toStatus(r);
  }

  private async saveStatus(q: Queryable, s: StatusListRecord): Promise<void> {
    await q.query(
      `INSERT INTO status_lists (agency_id, sequence, size, bits, signed, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (agency_id) DO UPDATE SET sequence = excluded.sequence, size = excluded.size, bits = excluded.bits,
           signed = excluded.signed, issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
      [s.agencyId, s.sequence, s.size, buf(s.bits), buf(s.signed), s.issuedAt, s.expiresAt],
    );
  }

  async getStatusList(agencyId: string): Promise<StatusListRecord | undefined> {
    // Outside a transaction: committed state, so its size may be remembered.
    const r = await this.statusOn(this.pool, agencyId);
    if (r) this.noteSize(agencyId, r.size);
    return r;
  }

  async renewStatusList(agencyId: string, now: number, signer: StatusSigner, ifIssuedBefore?: number): Promise<StatusListRecord> {
    return this.tx(async (c) => {
      await this.lockStatus(c, agencyId);
      const cur = await this.statusOn(c, agencyId);
      if (cur && ifIssuedBefore !== undefined && cur.issuedAt >= ifIssuedBefore) return cur;
      const rec = renewedStatusList(agencyId, cur, now, signer);
      await this.saveStatus(c, rec);
      return rec;
    });
  }

  async revokeDocument(
    serial: string,
    r: { actor: string; reason?: string; now: number } & StatusSigner,
  ): Promise<{ document: DocumentRecord; statusList: StatusListRecord; already: boolean } | undefined> {
    return this.tx(async (c) => {
      const [owner] = await this.rows<{ agency_id: string }>(c, 'SELECT agency_id FROM documents WHERE serial = $1', [serial]);
      if (!owner) return undefined;
      await this.lockStatus(c, owner.agency_id);
      // Re-read under the lock: another process may have revoked it meanwhile.
      const [row] = await this.rows<DocRow>(c, 'SELECT * FROM documents WHERE serial = $1', [serial]);
      const doc = toDoc(row!);
      const cur = await this.statusOn(c, doc.agencyId);
      if (doc.revokedAt !== undefined) return { document: doc, statusList: cur!, already: true };
      const rec = revokedStatusList(doc.agencyId, cur, doc.statusIndex, r.now, r);
      await this.saveStatus(c, rec);
      await c.query('UPDATE documents SET revoked_at = $1, revoke_reason = $2 WHERE serial = $3', [r.now, r.reason ?? null, serial]);
      await this.auditOn(c, {
        at: r.now,
        agencyId: doc.agencyId,
        actor: r.actor,
        action: 'document.revoke',
        subject: serial,
        detail: `status ${doc.statusIndex}, list ${rec.sequence}`,
      });
      doc.revokedAt = r.now;
      if (r.reason !== undefined) doc.revokeReason = r.reason;
      return { document: doc, statusList: rec, already: false };
    });
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const r = await this.pool.query(numberPlaceholders(sql), params);
    return r.rows.map((row: Record<string, unknown>) => ({ ...row }));
  }
}
