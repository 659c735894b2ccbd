// The registry's PostgreSQL schema: the same tables, columns and constraints as schema.ts, as versioned migrations.

/**
 * Advisory lock key (pg_advisory_xact_lock) held while migrations run, so two issuer processes starting together on
 * a fresh database do not both create the tables: the second waits, then finds every version applied.
 */
export const MIGRATION_LOCK = 0x7572_7301;

/** Key space of the per-agency status-list locks: pg_advisory_xact_lock(STATUS_LOCK, hashtext(agency_id)). */
export const STATUS_LOCK = 0x7572_7302;

/** Applied migrations, one row per version (created before the first migration runs). */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INT PRIMARY KEY,
  applied_at BIGINT NOT NULL
)`;

/**
 * Migrations by version (index 0 = version 1). Append only: a deployed registry runs the ones it has not recorded in
 * schema_migrations. Times are seconds since 1970 (BIGINT); serials and kids are lower-case hex; binary is BYTEA.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
  );

  -- Root public keys the operator pinned: a trust list is accepted only if one of these (or a root named by an
  -- accepted list) signed it.
  CREATE TABLE roots (
    kid        TEXT PRIMARY KEY,
    public_key BYTEA NOT NULL,
    name       TEXT,
    added_at   BIGINT NOT NULL
  );

  -- Every trust list accepted, by sequence; the highest is current. Kept for audit and rollback protection.
  CREATE TABLE trust_lists (
    sequence    BIGINT PRIMARY KEY,
    bytes       BYTEA NOT NULL,
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
  );

  -- Registry-wide counters: 'serial' numbers every document of every agency (serial = registry id + counter).
  -- Its row lock serialises issuance across processes, so serials stay unique and gap-free.
  CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL CHECK (value >= 0)
  );
  INSERT INTO counters (name, value) VALUES ('serial', 1);

  -- Agencies this registry issues for, with their status-index counter (status lists are per agency).
  CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    name_ar     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    next_status BIGINT NOT NULL DEFAULT 0 CHECK (next_status >= 0),
    created_at  BIGINT NOT NULL
  );

  -- Agency private seeds, AES-256-GCM under the master key (AAD = agency id + kid). Never returned by any API.
  CREATE TABLE agency_keys (
    kid         TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    public_key  BYTEA NOT NULL,
    sealed_seed BYTEA NOT NULL,
    added_at    BIGINT NOT NULL
  );

  CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    hash       BYTEA NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,
    label      TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );

  CREATE TABLE documents (
    serial          TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES agencies(id),
    kid             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('pdf', 'paper')),
    type            TEXT NOT NULL,
    number          TEXT NOT NULL,
    fields          TEXT NOT NULL,
    hash            BYTEA,
    length          BIGINT,
    status_index    BIGINT NOT NULL,
    issued_at       BIGINT NOT NULL,
    expires_at      BIGINT,
    token_id        TEXT NOT NULL REFERENCES tokens(id),
    idempotency_key TEXT,
    request_hash    BYTEA NOT NULL,
    state           TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'failed')),
    revoked_at      BIGINT,
    revoke_reason   TEXT,
    CONSTRAINT documents_status_unique UNIQUE (agency_id, status_index),
    CONSTRAINT documents_idempotency_unique UNIQUE (agency_id, idempotency_key)
  );

  -- Each agency's status list: the bits, the sequence and the last signed copy served at /status/{agency}.
  CREATE TABLE status_lists (
    agency_id  TEXT PRIMARY KEY REFERENCES agencies(id),
    sequence   BIGINT NOT NULL,
    size       BIGINT NOT NULL,
    bits       BYTEA NOT NULL,
    signed     BYTEA NOT NULL,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  -- Append-only: issuances, revocations, token and key changes. The triggers refuse UPDATE, DELETE and TRUNCATE.
  CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    agency_id TEXT,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT,
    detail    TEXT
  );
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
  $$;
  CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `,
];
