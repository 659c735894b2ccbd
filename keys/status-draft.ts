// An agency's status-list draft: which document indexes are revoked, signed into a status list with the agency key.
import { type StatusList, MAX_STATUS_BITS } from '../core/status-list/codec.js';
import { writeFileAtomic } from './atomic.js';
import { UserError, userError, withSuffix } from './errors.js';
import { readJsonChecked } from './files.js';
import { formatTime, readStoredTime } from './time.js';

/*
 * DRAFT FILE "urseal-status-list-draft", version 1 (JSON):
 *   { "format": "urseal-status-list-draft", "version": 1, "issuer": agency id, "size": entries,
 *     "validDays": 7, "lastSequence": 0, "lastSignedAt"?: ISO,
 *     "revoked": [{ "index": 42, "at": ISO, "reason"?: text }] }   (sorted by index)
 */

export const STATUS_DRAFT_FORMAT = 'urseal-status-list-draft';

export interface RevokedEntry {
  index: number;
  at: number;
  reason?: string;
}

export interface StatusDraft {
  issuer: string;
  size: number;
  validDays: number;
  lastSequence: number;
  lastSignedAt?: number;
  revoked: RevokedEntry[];
}

const bad = (where: string) => userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة قائمة الإلغاء تالفة', 'malformed status-list draft', where);

/**
 * A new status-list draft for an agency.
 * @example const d = emptyStatusDraft('MOJ', 1 << 16, 7);
 */
export function emptyStatusDraft(issuer: string, size: number, validDays = 7): StatusDraft {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(issuer))
    throw userError('URSEAL_E_BAD_VALUE', 'معرّف جهة غير صالح', 'invalid agency id', issuer);
  if (!Number.isSafeInteger(size) || size < 8 || size > MAX_STATUS_BITS) {
    throw userError('URSEAL_E_BAD_VALUE', 'حجم قائمة غير صالح', 'invalid list size', `--size must be 8..${MAX_STATUS_BITS}`);
  }
  return { issuer, size, validDays, lastSequence: 0, revoked: [] };
}

/** Draft -> stored JSON. */
export function statusDraftToJson(d: StatusDraft): Record<string, unknown> {
  return {
    format: STATUS_DRAFT_FORMAT,
    version: 1,
    issuer: d.issuer,
    size: d.size,
    validDays: d.validDays,
    lastSequence: d.lastSequence,
    ...(d.lastSignedAt !== undefined ? { lastSignedAt: formatTime(d.lastSignedAt) } : {}),
    revoked: d.revoked.map((r) => ({ index: r.index, at: formatTime(r.at), ...(r.reason !== undefined ? { reason: r.reason } : {}) })),
  };
}

function uint(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${where} must be a whole number`);
  return v;
}

/**
 * Strictly read a status-list draft object.
 * @example const d = statusDraftFromJson(JSON.parse(text));
 */
export function statusDraftFromJson(v: unknown): StatusDraft {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad('not an object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['format', 'version', 'issuer', 'size', 'validDays', 'lastSequence', 'lastSignedAt', 'revoked'].includes(k))
      throw bad(`unknown field ${k}`);
  if (o['format'] !== STATUS_DRAFT_FORMAT) throw bad(`format must be ${STATUS_DRAFT_FORMAT}`);
  if (o['version'] !== 1) throw bad('version must be 1');
  if (typeof o['issuer'] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(o['issuer'])) throw bad('issuer');
  const size = uint(o['size'], 'size');
  if (size < 8 || size > MAX_STATUS_BITS) throw bad('size out of range');
  if (!Array.isArray(o['revoked'])) throw bad('revoked must be an array');
  const d: StatusDraft = {
    issuer: o['issuer'],
    size,
    validDays: uint(o['validDays'], 'validDays'),
    lastSequence: uint(o['lastSequence'], 'lastSequence'),
    revoked: o['revoked'].map((r, i): RevokedEntry => {
      if (r === null || typeof r !== 'object') throw bad(`revoked[${i}]`);
      const ro = r as Record<string, unknown>;
      const index = uint(ro['index'], `revoked[${i}].index`);
      if (index >= size) throw bad(`revoked[${i}].index is outside the list`);
      const e: RevokedEntry = { index, at: readStoredTime(ro['at'], `revoked[${i}].at`) };
      if (ro['reason'] !== undefined) {
        if (typeof ro['reason'] !== 'string') throw bad(`revoked[${i}].reason`);
        e.reason = ro['reason'];
      }
      return e;
    }),
  };
  if (d.validDays < 1) throw bad('validDays must be at least 1');
  if (o['lastSignedAt'] !== undefined) d.lastSignedAt = readStoredTime(o['lastSignedAt'], 'lastSignedAt');
  return d;
}

/** Read a status-list draft file. */
export function loadStatusDraft(path: string): StatusDraft {
  try {
    return statusDraftFromJson(readJsonChecked(path));
  } catch (e) {
    if (e instanceof UserError && e.code === 'URSEAL_E_DRAFT_MALFORMED') throw withSuffix(e, ` (${path})`);
    throw e;
  }
}

/** Write a status-list draft atomically. */
export function saveStatusDraft(path: string, d: StatusDraft, options: { create?: boolean; overwrite?: boolean } = {}): void {
  writeFileAtomic(path, `${JSON.stringify(statusDraftToJson(d), null, 2)}\n`, {
    overwrite: options.create ? (options.overwrite ?? false) : true,
  });
}

/**
 * Mark document index `index` revoked (idempotent: revoking twice keeps the first time).
 * @example revokeIndex(d, 42, now, 'issued in error')
 */
export function revokeIndex(d: StatusDraft, index: number, at: number, reason?: string): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || index >= d.size) {
    throw userError('URSEAL_E_BAD_VALUE', 'رقم الوثيقة خارج القائمة', 'index is outside the list', `${index} (size ${d.size})`);
  }
  if (d.revoked.some((r) => r.index === index)) return false;
  d.revoked.push({ index, at, ...(reason !== undefined ? { reason } : {}) });
  d.revoked.sort((a, b) => a.index - b.index);
  return true;
}

/**
 * The status list to sign: bits from the draft, sequence above `lastSequence`.
 * @example const list = buildStatusList(d, { now, lastSequence: d.lastSequence })
 */
export function buildStatusList(d: StatusDraft, o: { now: number; lastSequence: number; validDays?: number }): StatusList {
  const bits = new Uint8Array(Math.ceil(d.size / 8));
  // Bit i is bit (7 - i % 8) of byte floor(i / 8), most significant first (core/status-list/codec.ts).
  for (const r of d.revoked) bits[r.index >> 3]! |= 1 << (7 - (r.index & 7));
  return {
    issuer: d.issuer,
    sequence: o.lastSequence + 1,
    issuedAt: o.now,
    expiresAt: o.now + (o.validDays ?? d.validDays) * 86_400,
    size: d.size,
    bits,
  };
}
