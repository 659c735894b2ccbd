// The registry's SQLite schema (better-sqlite3): one migration list, applied in order inside a transaction.

/**
 * Migrations by version. Append only: a deployed registry runs the ones above its `user_version`.
 * Times are seconds since 1970; serials and kids are lower-case hex.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) STRICT;

  -- Root public keys the operator pinned: a trust list is accepted only if one of these (or a root named by an
  -- accepted list) signed it.
  CREATE TABLE roots (
    kid        TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,
    name       TEXT,
    added_at   INTEGER NOT NULL
  ) STRICT;

  -- Every trust list accepted, by sequence; the highest is current. Kept for audit and rollback protection.
  CREATE TABLE trust_lists (
    sequence    INTEGER PRIMARY KEY,
    bytes       BLOB NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
  ) STRICT;

  -- Registry-wide counters: 'serial' numbers every document of every agency (serial = registry id + counter).
  CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
  ) STRICT;
  INSERT INTO counters (name, value) VALUES ('serial', 1);

  -- Agencies this registry issues for, with their status-index counter (status lists are per agency).
  CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    name_ar     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    next_status INTEGER NOT NULL DEFAULT 0 CHECK (next_status >= 0),
    created_at  INTEGER NOT NULL
  ) STRICT;

  -- Agency private seeds, AES-256-GCM under the master key (AAD = agency id + kid). Never returned by any API.
  CREATE TABLE agency_keys (
    kid         TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    public_key  BLOB NOT NULL,
    sealed_seed BLOB NOT NULL,
    added_at    INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    agency_id  TEXT NOT NULL REFERENCES agencies(id),
    hash       BLOB NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,
    label      TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;

  CREATE TABLE documents (
    serial          TEXT PRIMARY KEY,
    agency_id       TEXT NOT NULL REFERENCES agencies(id),
    kid             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('pdf', 'paper')),
    type            TEXT NOT NULL,
    number          TEXT NOT NULL,
    fields          TEXT NOT NULL,
    hash            BLOB,
    length          INTEGER,
    status_index    INTEGER NOT NULL,
    issued_at       INTEGER NOT NULL,
    expires_at      INTEGER,
    token_id        TEXT NOT NULL REFERENCES tokens(id),
    idempotency_key TEXT,
    request_hash    BLOB NOT NULL,
    state           TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'failed')),
    revoked_at      INTEGER,
    revoke_reason   TEXT,
    UNIQUE (agency_id, status_index),
    UNIQUE (agency_id, idempotency_key)
  ) STRICT;

  -- Each agency's status list: the bits, the sequence and the last signed copy served at /status/{agency}.
  CREATE TABLE status_lists (
    agency_id  TEXT PRIMARY KEY REFERENCES agencies(id),
    sequence   INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    bits       BLOB NOT NULL,
    signed     BLOB NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;

  -- Append-only: issuances, revocations, token and key changes. The triggers refuse UPDATE and DELETE.
  CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    agency_id TEXT,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT,
    detail    TEXT
  ) STRICT;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
];
