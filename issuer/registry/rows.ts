// Registry rows as both stores read them (same columns in SQLite and PostgreSQL) and the records they become.
import type { Scope } from '../tokens.js';
import { setRevoked, type StatusList } from '../../core/index.js';
import type { AgencyKeyRecord, AuditEntry, DocumentRecord, IssueInput, StatusListRecord, TokenRecord } from './registry.js';
import type { StatusSigner } from './store.js';

/** Status lists grow in blocks of this many entries (1024 bits = 128 bytes). */
export const STATUS_BLOCK = 1024;

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

/** The record of a document just issued from its request, serial and status index. */
export function issuedDocument(i: IssueInput, serial: string, statusIndex: number): DocumentRecord {
  const doc: DocumentRecord = {
    serial,
    agencyId: i.agencyId,
    kid: i.kid,
    kind: i.kind,
    type: i.type,
    number: i.number,
    fields: i.fields,
    statusIndex,
    issuedAt: i.now,
    tokenId: i.tokenId,
    requestHash: i.requestHash,
    state: 'issued',
  };
  if (i.hash) doc.hash = i.hash;
  if (i.length !== undefined) doc.length = i.length;
  if (i.expiresAt !== undefined) doc.expiresAt = i.expiresAt;
  if (i.idempotencyKey !== undefined) doc.idempotencyKey = i.idempotencyKey;
  return doc;
}

/**
 * The agency's next status list, signed: `bits` over `size` entries, sequence one past `cur`'s, valid from `now`.
 * Callers hold the store's lock on the agency's list, so each sequence is signed once.
 */
export function nextStatusList(
  agencyId: string,
  cur: { sequence: number } | undefined,
  size: number,
  bits: Uint8Array,
  now: number,
  signer: StatusSigner,
): StatusListRecord {
  const list: StatusList = {
    issuer: agencyId,
    sequence: (cur?.sequence ?? 0) + 1,
    issuedAt: now,
    expiresAt: now + signer.validity,
    size,
    bits,
  };
  return { agencyId, sequence: list.sequence, size, bits, signed: signer.sign(list), issuedAt: now, expiresAt: list.expiresAt };
}

/** The list grown to hold `index` (next whole block), the existing bits kept. */
export function grownBits(cur: StatusListRecord, index: number): { size: number; bits: Uint8Array } {
  const size = Math.ceil((index + 1) / STATUS_BLOCK) * STATUS_BLOCK;
  const bits = new Uint8Array(size / 8);
  bits.set(cur.bits.subarray(0, bits.length));
  return { size, bits };
}

/** The agency's list renewed: same bits (an empty first block if it has none yet), next sequence, fresh times. */
export function renewedStatusList(
  agencyId: string,
  cur: StatusListRecord | undefined,
  now: number,
  signer: StatusSigner,
): StatusListRecord {
  return nextStatusList(agencyId, cur, cur?.size ?? STATUS_BLOCK, cur?.bits ?? new Uint8Array(STATUS_BLOCK / 8), now, signer);
}

/** The agency's list with `index` revoked (grown to hold it if needed), next sequence. */
export function revokedStatusList(
  agencyId: string,
  cur: StatusListRecord | undefined,
  index: number,
  now: number,
  signer: StatusSigner,
): StatusListRecord {
  const size = Math.max(cur?.size ?? STATUS_BLOCK, Math.ceil((index + 1) / STATUS_BLOCK) * STATUS_BLOCK);
  return nextStatusList(agencyId, cur, size, setRevoked(cur?.bits ?? new Uint8Array(0), size, index), now, signer);
}

/** An `audit_log` row. */
export interface AuditRow {
  id: number;
  at: number;
  agency_id: string | null;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

/** An audit row as an entry (NULLs left out). */
export function toAudit(r: AuditRow): AuditEntry {
  const e: AuditEntry = { id: r.id, at: r.at, actor: r.actor, action: r.action };
  if (r.agency_id !== null) e.agencyId = r.agency_id;
  if (r.subject !== null) e.subject = r.subject;
  if (r.detail !== null) e.detail = r.detail;
  return e;
}

/** An `agency_keys` row. */
export interface KeyRow {
  kid: string;
  agency_id: string;
  public_key: Buffer;
  sealed_seed: Buffer;
  added_at: number;
}

/** An agency key row as a record (the seed stays sealed). */
export function toKey(r: KeyRow): AgencyKeyRecord {
  return { kid: r.kid, agencyId: r.agency_id, publicKey: u8(r.public_key), sealedSeed: u8(r.sealed_seed), addedAt: r.added_at };
}
