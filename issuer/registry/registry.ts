// The issuer's registry on better-sqlite3: agencies, encrypted keys, tokens, documents, status lists, audit log.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MAX_STATUS_BITS, type StatusList } from '../../core/index.js';
import type { Scope } from '../tokens.js';
import {
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
import { MIGRATIONS } from './schema.js';

/**
 * The registry holds encrypted keys, token hashes and every issued document: only its owner may read it. SQLite
 * creates `-wal` and `-shm` with the mode of the database file, so the file is created 0600 before SQLite opens
 * it; files of an older data folder are narrowed to 0600 too.
 */
function privateFiles(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(p, 0o600);
    } catch {
      // -wal/-shm may not exist yet; SQLite then creates them with the database file's mode.
    }
  }
}

/** One issued (or attempted) document as recorded. */
export interface DocumentRecord {
  /** 16 hex digits: the registry id (4 bytes) then the registry's document counter (4 bytes); the seal's `cti`. */
  serial: string;
  agencyId: string;
  kid: string;
  kind: 'pdf' | 'paper';
  type: string;
  number: string;
  fields: Record<string, string | number>;
  hash?: Uint8Array;
  length?: number;
  statusIndex: number;
  issuedAt: number;
  expiresAt?: number;
  tokenId: string;
  idempotencyKey?: string;
  requestHash: Uint8Array;
  state: 'issued' | 'failed';
  revokedAt?: number;
  revokeReason?: string;
}

/** A stored token (never the secret). */
export interface TokenRecord {
  id: string;
  agencyId: string;
  hash: Uint8Array;
  scopes: Scope[];
  label?: string;
  createdAt: number;
  revokedAt?: number;
}

/** A stored agency key (the seed stays sealed). */
export interface AgencyKeyRecord {
  kid: string;
  agencyId: string;
  publicKey: Uint8Array;
  sealedSeed: Uint8Array;
  addedAt: number;
}

/** Stored status-list state of one agency. */
export interface StatusListRecord {
  agencyId: string;
  sequence: number;
  size: number;
  bits: Uint8Array;
  signed: Uint8Array;
  issuedAt: number;
  expiresAt: number;
}

/** One audit entry. */
export interface AuditEntry {
  id: number;
  at: number;
  agencyId?: string;
  actor: string;
  action: string;
  subject?: string;
  detail?: string;
}

/** What the issuance transaction needs. Serial and status index are allocated inside it. */
export interface IssueInput {
  agencyId: string;
  kid: string;
  kind: 'pdf' | 'paper';
  type: string;
  number: string;
  fields: Record<string, string | number>;
  hash?: Uint8Array;
  length?: number;
  expiresAt?: number;
  tokenId: string;
  idempotencyKey?: string;
  /** SHA-256 of the canonical request, to tell a retry from a different request under the same Idempotency-Key. */
  requestHash: Uint8Array;
  now: number;
  /**
   * Signs the agency's status list when the new document's index lies past its end: the list then grows (next
   * block, next sequence) in the same transaction, so no issued seal is ever outside its agency's published list.
   */
  growStatusList?: { validity: number; sign: (l: StatusList) => Uint8Array };
}

/** The agency's status indexes are used up (MAX_STATUS_BITS): nothing is recorded. */
export class StatusListFullError extends Error {
  constructor(agencyId: string) {
    super(`the status list of ${agencyId} is full (${MAX_STATUS_BITS} documents)`);
    this.name = 'StatusListFullError';
  }
}

/** Outcome of `issue`: a new document, a replay of an earlier one, or a key reused for another request. */
export type IssueOutcome =
  { kind: 'new'; document: DocumentRecord } | { kind: 'replay'; document: DocumentRecord } | { kind: 'conflict'; document: DocumentRecord };

export { STATUS_BLOCK } from './rows.js';
const MAX_COUNTER = 0xffffffff;

/** Options of {@link Registry.open}. */
export interface RegistryOptions {
  /** Open read-only (inspection tools). Default false. */
  readonly?: boolean;
}

/**
 * The registry. All writes that belong together run in one SQLite transaction, so a crash leaves either all or
 * none of them. Durability: WAL with `synchronous = FULL`, so a document whose response a client received survives
 * a power cut too, not only a killed process (NORMAL would only survive the latter); measured cost is small next
 * to stamping.
 * @example
 * const reg = Registry.open('data/registry.db'); const t = reg.findTokenByHash(hash); reg.close()
 */
export class Registry {
  readonly db: Database.Database;
  /** 4 random bytes (hex) fixed at creation: prefix of every serial, so two registries never reuse one. */
  readonly registryId: string;

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per registry. */
  private st(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private constructor(db: Database.Database) {
    this.db = db;
    this.registryId = this.getMeta('registry_id')!.toString('utf8');
  }

  /** Open (creating if needed) the registry at `path`, migrate it and set its pragmas. */
  static open(path: string, options: RegistryOptions = {}): Registry {
    if (!options.readonly) {
      mkdirSync(dirname(path), { recursive: true });
      privateFiles(path);
    }
    const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      const version = db.pragma('user_version', { simple: true }) as number;
      db.transaction(() => {
        for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${MIGRATIONS.length}`);
        const has = db.prepare('SELECT 1 FROM meta WHERE key = ?').get('registry_id');
        if (!has) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('registry_id', Buffer.from(randomBytes(4).toString('hex')));
      })();
    }
    return new Registry(db);
  }

  close(): void {
    this.db.close();
  }

  // ------------------------------------------------------------------ meta

  getMeta(key: string): Buffer | undefined {
    const r = this.st('SELECT value FROM meta WHERE key = ?').get(key) as { value: Buffer } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: Uint8Array | string): void {
    const v = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
    this.st('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, v);
  }

  // ------------------------------------------------------------------ audit

  /** Append an audit entry (the table refuses updates and deletes). */
  audit(e: Omit<AuditEntry, 'id'>): void {
    this.st('INSERT INTO audit_log (at, agency_id, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
      e.at,
      e.agencyId ?? null,
      e.actor,
      e.action,
      e.subject ?? null,
      e.detail ?? null,
    );
  }

  /** The newest `limit` audit entries, newest first. */
  listAudit(limit = 100): AuditEntry[] {
    const rows = this.st('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
    return rows.map(toAudit);
  }

  // ------------------------------------------------------------------ roots and trust lists

  addRoot(kid: string, publicKey: Uint8Array, now: number, name?: string): void {
    this.db.transaction(() => {
      this.st('INSERT OR IGNORE INTO roots (kid, public_key, name, added_at) VALUES (?, ?, ?, ?)').run(
        kid,
        Buffer.from(publicKey),
        name ?? null,
        now,
      );
      this.audit({ at: now, actor: 'operator', action: 'root.pin', subject: kid, ...(name ? { detail: name } : {}) });
    })();
  }

  listRoots(): { kid: string; publicKey: Uint8Array; name?: string }[] {
    const rows = this.st('SELECT kid, public_key, name FROM roots ORDER BY added_at, kid').all() as {
      kid: string;
      public_key: Buffer;
      name: string | null;
    }[];
    return rows.map((r) => ({ kid: r.kid, publicKey: u8(r.public_key), ...(r.name !== null ? { name: r.name } : {}) }));
  }

  /** Store an accepted trust list and make sure its agencies exist (names refreshed). */
  addTrustList(
    t: {
      sequence: number;
      bytes: Uint8Array;
      issuedAt: number;
      expiresAt: number;
      agencies: { id: string; name: { ar: string; en: string } }[];
    },
    now: number,
    actor = 'operator',
  ): void {
    this.db.transaction(() => {
      this.st('INSERT OR REPLACE INTO trust_lists (sequence, bytes, issued_at, expires_at, imported_at) VALUES (?, ?, ?, ?, ?)').run(
        t.sequence,
        Buffer.from(t.bytes),
        t.issuedAt,
        t.expiresAt,
        now,
      );
      const up = this.st(
        'INSERT INTO agencies (id, name_ar, name_en, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en',
      );
      for (const a of t.agencies) up.run(a.id, a.name.ar, a.name.en, now);
      this.audit({ at: now, actor, action: 'trust-list.import', subject: String(t.sequence) });
    })();
  }

  /** The current (highest-sequence) trust list. */
  latestTrustList(): { sequence: number; bytes: Uint8Array } | undefined {
    const r = this.st('SELECT sequence, bytes FROM trust_lists ORDER BY sequence DESC LIMIT 1').get() as
      { sequence: number; bytes: Buffer } | undefined;
    return r && { sequence: r.sequence, bytes: u8(r.bytes) };
  }

  latestTrustListSequence(): number | undefined {
    const r = this.st('SELECT MAX(sequence) AS s FROM trust_lists').get() as { s: number | null };
    return r.s ?? undefined;
  }

  // ------------------------------------------------------------------ agencies and keys

  listAgencies(): { id: string; name: { ar: string; en: string } }[] {
    const rows = this.st('SELECT id, name_ar, name_en FROM agencies ORDER BY id').all() as {
      id: string;
      name_ar: string;
      name_en: string;
    }[];
    return rows.map((r) => ({ id: r.id, name: { ar: r.name_ar, en: r.name_en } }));
  }

  hasAgency(id: string): boolean {
    return this.st('SELECT 1 FROM agencies WHERE id = ?').get(id) !== undefined;
  }

  ensureAgency(id: string, name: { ar: string; en: string }, now: number): void {
    this.st('INSERT OR IGNORE INTO agencies (id, name_ar, name_en, created_at) VALUES (?, ?, ?, ?)').run(id, name.ar, name.en, now);
  }

  addAgencyKey(k: AgencyKeyRecord, actor = 'operator'): void {
    this.db.transaction(() => {
      this.st('INSERT INTO agency_keys (kid, agency_id, public_key, sealed_seed, added_at) VALUES (?, ?, ?, ?, ?)').run(
        k.kid,
        k.agencyId,
        Buffer.from(k.publicKey),
        Buffer.from(k.sealedSeed),
        k.addedAt,
      );
      this.audit({ at: k.addedAt, agencyId: k.agencyId, actor, action: 'key.import', subject: k.kid });
    })();
  }

  listAgencyKeys(agencyId?: string): AgencyKeyRecord[] {
    const rows = (
      agencyId === undefined
        ? this.st('SELECT * FROM agency_keys ORDER BY agency_id, added_at').all()
        : this.st('SELECT * FROM agency_keys WHERE agency_id = ? ORDER BY added_at').all(agencyId)
    ) as KeyRow[];
    return rows.map(toKey);
  }

  // ------------------------------------------------------------------ tokens

  addToken(t: Omit<TokenRecord, 'revokedAt'>, actor = 'operator'): void {
    this.db.transaction(() => {
      this.st('INSERT INTO tokens (id, agency_id, hash, scopes, label, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        t.id,
        t.agencyId,
        Buffer.from(t.hash),
        t.scopes.join(','),
        t.label ?? null,
        t.createdAt,
      );
      this.audit({ at: t.createdAt, agencyId: t.agencyId, actor, action: 'token.create', subject: t.id, detail: t.scopes.join(',') });
    })();
  }

  findTokenByHash(hash: Uint8Array): TokenRecord | undefined {
    const r = this.st('SELECT * FROM tokens WHERE hash = ?').get(Buffer.from(hash)) as TokenRow | undefined;
    return r && toToken(r);
  }

  listTokens(agencyId?: string): TokenRecord[] {
    const rows = (
      agencyId === undefined
        ? this.st('SELECT * FROM tokens ORDER BY created_at, id').all()
        : this.st('SELECT * FROM tokens WHERE agency_id = ? ORDER BY created_at, id').all(agencyId)
    ) as TokenRow[];
    return rows.map(toToken);
  }

  /** Revoke a token; returns false when there is no such (unrevoked) token. */
  revokeToken(id: string, now: number, actor = 'operator'): boolean {
    return this.db.transaction(() => {
      const r = this.st('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING agency_id').get(now, id) as
        { agency_id: string } | undefined;
      if (!r) return false;
      this.audit({ at: now, agencyId: r.agency_id, actor, action: 'token.revoke', subject: id });
      return true;
    })();
  }

  // ------------------------------------------------------------------ documents

  private pending: { input: IssueInput; resolve: (o: IssueOutcome) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;

  /**
   * Record an issuance: in ONE transaction, replay or refuse by Idempotency-Key, allocate the serial and the
   * status index from the agency's counters, insert the document and append the audit entry. A crash before the
   * commit leaves nothing; after it, the counters have moved past what was handed out.
   *
   * Group commit: issuances that arrive in the same event-loop turn are recorded in ONE outer transaction (each in
   * its own savepoint, so one failing request does not undo the others), and so share one fsync. Durability is unchanged (synchronous = FULL, and the promise settles only after COMMIT returned), but
   * the main thread blocks on the disk once per batch instead of once per document.
   */
  issueGrouped(input: IssueInput): Promise<IssueOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const results: ({ ok: true; value: IssueOutcome } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const b of batch) {
          try {
            // Nested better-sqlite3 transaction = SAVEPOINT: rolled back alone if it throws.
            results.push({ ok: true, value: this.issueTx(b.input) });
          } catch (error) {
            results.push({ ok: false, error });
          }
        }
      })();
    } catch (e) {
      for (const b of batch) b.reject(e);
      return;
    }
    batch.forEach((b, i) => {
      const r = results[i]!;
      if (r.ok) b.resolve(r.value);
      else b.reject(r.error);
    });
  }

  private issueTxFn: ((i: IssueInput) => IssueOutcome) | undefined;

  private issueTx(input: IssueInput): IssueOutcome {
    this.issueTxFn ??= this.db.transaction((i: IssueInput): IssueOutcome => {
      if (i.idempotencyKey !== undefined) {
        const prior = this.st('SELECT * FROM documents WHERE agency_id = ? AND idempotency_key = ?').get(i.agencyId, i.idempotencyKey) as
          DocRow | undefined;
        if (prior) {
          const doc = toDoc(prior);
          return Buffer.compare(prior.request_hash, Buffer.from(i.requestHash)) === 0
            ? { kind: 'replay', document: doc }
            : { kind: 'conflict', document: doc };
        }
      }
      const st = this.st('UPDATE agencies SET next_status = next_status + 1 WHERE id = ? RETURNING next_status - 1 AS status').get(
        i.agencyId,
      ) as { status: number } | undefined;
      if (!st) throw new Error(`agency ${i.agencyId} is not in the registry`);
      // An index no status list can hold could never be revoked: refuse (the savepoint rolls the counter back).
      if (st.status >= MAX_STATUS_BITS) throw new StatusListFullError(i.agencyId);
      const sn = this.st("UPDATE counters SET value = value + 1 WHERE name = 'serial' RETURNING value - 1 AS serial").get() as {
        serial: number;
      };
      if (sn.serial > MAX_COUNTER) throw new Error('this registry has used every serial');
      const c = { serial: sn.serial, status: st.status };
      const serial = this.registryId + c.serial.toString(16).padStart(8, '0');
      this.st(
        `INSERT INTO documents (serial, agency_id, kid, kind, type, number, fields, hash, length, status_index, issued_at, expires_at,
             token_id, idempotency_key, request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        serial,
        i.agencyId,
        i.kid,
        i.kind,
        i.type,
        i.number,
        JSON.stringify(i.fields),
        i.hash ? Buffer.from(i.hash) : null,
        i.length ?? null,
        c.status,
        i.now,
        i.expiresAt ?? null,
        i.tokenId,
        i.idempotencyKey ?? null,
        Buffer.from(i.requestHash),
      );
      this.audit({
        at: i.now,
        agencyId: i.agencyId,
        actor: i.tokenId,
        action: `document.issue.${i.kind}`,
        subject: serial,
        detail: `status ${c.status}`,
      });
      if (i.growStatusList) {
        const cur = this.getStatusList(i.agencyId);
        if (cur && c.status >= cur.size) {
          const { size, bits } = grownBits(cur, c.status);
          this.saveStatusList(nextStatusList(i.agencyId, cur, size, bits, i.now, i.growStatusList));
        }
      }
      const doc = issuedDocument(i, serial, c.status);
      return { kind: 'new', document: doc };
    });
    return this.issueTxFn(input);
  }

  /**
   * Mark a document whose stamping failed after its serial was allocated: it was never delivered. The serial and
   * status index stay used (never handed out again); the Idempotency-Key is freed so the client can retry.
   */
  markFailed(serial: string, now: number, reason: string): void {
    this.db.transaction(() => {
      const r = this.st("UPDATE documents SET state = 'failed', idempotency_key = NULL WHERE serial = ? RETURNING agency_id").get(
        serial,
      ) as { agency_id: string } | undefined;
      if (r)
        this.audit({
          at: now,
          agencyId: r.agency_id,
          actor: 'service',
          action: 'document.failed',
          subject: serial,
          detail: reason.slice(0, 500),
        });
    })();
  }

  getDocument(serial: string): DocumentRecord | undefined {
    const r = this.st('SELECT * FROM documents WHERE serial = ?').get(serial) as DocRow | undefined;
    return r && toDoc(r);
  }

  countDocuments(agencyId?: string): number {
    const r = (
      agencyId === undefined
        ? this.st('SELECT COUNT(*) AS n FROM documents').get()
        : this.st('SELECT COUNT(*) AS n FROM documents WHERE agency_id = ?').get(agencyId)
    ) as { n: number };
    return r.n;
  }

  // ------------------------------------------------------------------ status lists

  getStatusList(agencyId: string): StatusListRecord | undefined {
    const r = this.st('SELECT * FROM status_lists WHERE agency_id = ?').get(agencyId) as StatusRow | undefined;
    return r && toStatus(r);
  }

  private saveStatusList(s: StatusListRecord): void {
    this.st(
      `INSERT INTO status_lists (agency_id, sequence, size, bits, signed, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(agency_id) DO UPDATE SET sequence = excluded.sequence, size = excluded.size, bits = excluded.bits,
           signed = excluded.signed, issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
    ).run(s.agencyId, s.sequence, s.size, Buffer.from(s.bits), Buffer.from(s.signed), s.issuedAt, s.expiresAt);
  }

  /**
   * Sign and store the next status list of an agency (same bits, next sequence, fresh times): used at start-up for
   * agencies without one and to renew lists before they expire.
   */
  renewStatusList(
    agencyId: string,
    now: number,
    validity: number,
    sign: (l: StatusList) => Uint8Array,
    ifIssuedBefore?: number,
  ): StatusListRecord {
    return this.db.transaction(() => {
      const cur = this.getStatusList(agencyId);
      if (cur && ifIssuedBefore !== undefined && cur.issuedAt >= ifIssuedBefore) return cur;
      const rec = renewedStatusList(agencyId, cur, now, { validity, sign });
      this.saveStatusList(rec);
      return rec;
    })();
  }

  /**
   * Revoke a document: in ONE transaction mark it, set its status bit, sign the next status list and store it, and
   * append the audit entry. Revoking twice is harmless (returns `already: true`, nothing re-signed).
   */
  revokeDocument(
    serial: string,
    r: { actor: string; reason?: string; now: number; validity: number; sign: (l: StatusList) => Uint8Array },
  ): { document: DocumentRecord; statusList: StatusListRecord; already: boolean } | undefined {
    return this.db.transaction(() => {
      const doc = this.getDocument(serial);
      if (!doc) return undefined;
      if (doc.revokedAt !== undefined) {
        const cur = this.getStatusList(doc.agencyId)!;
        return { document: doc, statusList: cur, already: true };
      }
      const rec = revokedStatusList(doc.agencyId, this.getStatusList(doc.agencyId), doc.statusIndex, r.now, r);
      this.saveStatusList(rec);
      this.st('UPDATE documents SET revoked_at = ?, revoke_reason = ? WHERE serial = ?').run(r.now, r.reason ?? null, serial);
      this.audit({
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
    })();
  }

  /** `PRAGMA integrity_check` result ('ok' when sound). */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}
