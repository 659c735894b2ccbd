// Registry rows as both stores read them (same columns in SQLite and PostgreSQL) and the records they become.
import type { Scope } from '../tokens.js';
import type { DocumentRecord, StatusListRecord, TokenRecord } from './registry.js';

/** A `documents` row. */
export interface DocRow {
  serial: string;
  agency_id: string;
  kid: string;
  kind: 'pdf' | 'paper';
  type: string;
  number: string;
  fields: string;
  hash: Buffer | null;
  length: number | null;
  status_index: number;
  issued_at: number;
  expires_at: number | null;
  token_id: string;
  idempotency_key: string | null;
  request_hash: Buffer;
  state: 'issued' | 'failed';
  revoked_at: number | null;
  revoke_reason: string | null;
}

/** A `tokens` row. */
export interface TokenRow {
  id: string;
  agency_id: string;
  hash: Buffer;
  scopes: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** A `status_lists` row. */
export interface StatusRow {
  agency_id: string;
  sequence: number;
  size: number;
  bits: Buffer;
  signed: Buffer;
  issued_at: number;
  expires_at: number;
}

/** A Buffer's bytes as a Uint8Array view (no copy). */
export function u8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Bytes as a Buffer for a query parameter. */
export function buf(b: Uint8Array): Buffer {
  return Buffer.from(b);
}

/** A document row as a record (fields parsed, NULLs left out). */
export function toDoc(r: DocRow): DocumentRecord {
  const d: DocumentRecord = {
    serial: r.serial,
    agencyId: r.agency_id,
    kid: r.kid,
    kind: r.kind,
    type: r.type,
    number: r.number,
    fields: JSON.parse(r.fields) as Record<string, string | number>,
    statusIndex: r.status_index,
    issuedAt: r.issued_at,
    tokenId: r.token_id,
    requestHash: u8(r.request_hash),
    state: r.state,
  };
  if (r.hash) d.hash = u8(r.hash);
  if (r.length !== null) d.length = r.length;
  if (r.expires_at !== null) d.expiresAt = r.expires_at;
  if (r.idempotency_key !== null) d.idempotencyKey = r.idempotency_key;
  if (r.revoked_at !== null) d.revokedAt = r.revoked_at;
  if (r.revoke_reason !== null) d.revokeReason = r.revoke_reason;
  return d;
}

/** A token row as a record (never the secret: only its hash is stored). */
export function toToken(r: TokenRow): TokenRecord {
  const t: TokenRecord = {
    id: r.id,
    agencyId: r.agency_id,
    hash: u8(r.hash),
    scopes: r.scopes.split(',') as Scope[],
    createdAt: r.created_at,
  };
  if (r.label !== null) t.label = r.label;
  if (r.revoked_at !== null) t.revokedAt = r.revoked_at;
  return t;
}

/** A status-list row as a record. */
export function toStatus(r: StatusRow): StatusListRecord {
  return {
    agencyId: r.agency_id,
    sequence: r.sequence,
    size: r.size,
    bits: u8(r.bits),
    signed: u8(r.signed),
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
  };
}
