// Times as users write them (ISO 8601 dates, or seconds since 1970) and as drafts store them.
import { userError } from './errors.js';

/**
 * Parse a time given by the user: `2026-01-31`, `2026-01-31T10:00:00Z` (no zone = UTC), or whole seconds
 * since 1970 (`1767225600`). URSEAL_E_BAD_DATE naming the flag.
 * @example parseTime('2026-01-01', '--not-before') // 1767225600
 */
export function parseTime(value: string, flag: string): number {
  const v = value.trim();
  if (/^\d{1,12}$/.test(v)) return Number(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (m) {
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? 'Z'}`;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms) && ms >= 0) return Math.floor(ms / 1000);
  }
  throw userError(
    'URSEAL_E_BAD_DATE',
    'تاريخ غير صالح (مثال 2026-01-31)',
    'invalid date (e.g. 2026-01-31)',
    `${flag} ${JSON.stringify(value)}`,
  );
}

/**
 * Seconds since 1970 -> ISO 8601 in UTC without milliseconds.
 * @example formatTime(1767225600) // '2026-01-01T00:00:00Z'
 */
export function formatTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  // A seal may carry any whole number of seconds; JavaScript dates end in the year 275760.
  if (Number.isNaN(d.getTime())) return `${seconds} seconds after 1970 (beyond year 275760)`;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Read an ISO time stored in a draft (strict), as seconds. */
export function readStoredTime(value: unknown, where: string): number {
  if (typeof value !== 'string')
    throw userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة تالفة', 'malformed draft', `${where} must be an ISO 8601 time`);
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(ms) || ms < 0) {
    throw userError('URSEAL_E_DRAFT_MALFORMED', 'مسودة تالفة', 'malformed draft', `${where} must be an ISO 8601 time`);
  }
  return Math.floor(ms / 1000);
}

/** The current time in seconds, or the user's `--now`. */
export function nowSeconds(now?: string): number {
  return now === undefined ? Math.floor(Date.now() / 1000) : parseTime(now, '--now');
}

/** Whole days -> seconds, checked. */
export function parseDays(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 36_500) {
    throw userError('URSEAL_E_BAD_VALUE', 'عدد أيام غير صالح', 'invalid number of days', `${flag} ${JSON.stringify(value)}`);
  }
  return n;
}
